using SkiaSharp;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Applies an EXIF orientation (as <see cref="SKEncodedOrigin"/>, values 1–8) to a decoded image so that it is
/// upright, like PIL's <c>ImageOps.exif_transpose</c> (which transformers' <c>load_image</c> calls).
/// </summary>
internal static class ExifOrientation
{
    /// <summary>True when the orientation swaps width and height (the four 90°/270° cases).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    public static RgbImage Apply(RgbImage image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin))
            return image;
        int w = image.Width, h = image.Height;
        bool swap = SwapsAxes(origin);
        int outW = swap ? h : w, outH = swap ? w : h;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        int o = 0;
        for (int oy = 0; oy < outH; oy++)
        {
            for (int ox = 0; ox < outW; ox++, o += 3)
            {
                // Source pixel shown at (ox, oy) after the transform.
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - ox, oy),            // 2: mirror left-right
                    SKEncodedOrigin.BottomRight => (w - 1 - ox, h - 1 - oy), // 3: rotate 180°
                    SKEncodedOrigin.BottomLeft => (ox, h - 1 - oy),          // 4: mirror top-bottom
                    SKEncodedOrigin.LeftTop => (oy, ox),                     // 5: transpose
                    SKEncodedOrigin.RightTop => (oy, h - 1 - ox),            // 6: rotate 90° clockwise
                    SKEncodedOrigin.RightBottom => (w - 1 - oy, h - 1 - ox), // 7: transverse
                    _ => (w - 1 - oy, ox),                                   // 8: rotate 90° counter-clockwise
                };
                int s = (sy * w + sx) * 3;
                dst[o] = src[s];
                dst[o + 1] = src[s + 1];
                dst[o + 2] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }
}
