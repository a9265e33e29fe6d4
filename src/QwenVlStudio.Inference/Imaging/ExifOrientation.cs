namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Applies an EXIF orientation (the TIFF tag value, 1–8) to a decoded image so that it is
/// upright, like PIL's <c>ImageOps.exif_transpose</c> (which transformers' <c>load_image</c> calls).
/// </summary>
internal static class ExifOrientation
{
    /// <summary>True when the orientation swaps width and height (the four 90°/270° cases).</summary>
    public static bool SwapsAxes(ushort orientation) => orientation is >= 5 and <= 8;

    public static RgbImage Apply(RgbImage image, ushort orientation)
    {
        if (orientation is < 2 or > 8)
            return image;
        int w = image.Width, h = image.Height;
        bool swap = SwapsAxes(orientation);
        int outW = swap ? h : w, outH = swap ? w : h;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        int o = 0;
        for (int oy = 0; oy < outH; oy++)
        {
            for (int ox = 0; ox < outW; ox++, o += 3)
            {
                // Source pixel shown at (ox, oy) after the transform.
                (int sx, int sy) = orientation switch
                {
                    2 => (w - 1 - ox, oy),          // mirror left-right
                    3 => (w - 1 - ox, h - 1 - oy),  // rotate 180°
                    4 => (ox, h - 1 - oy),          // mirror top-bottom
                    5 => (oy, ox),                  // transpose
                    6 => (oy, h - 1 - ox),          // rotate 90° clockwise
                    7 => (w - 1 - oy, h - 1 - ox),  // transverse
                    _ => (w - 1 - oy, ox),          // 8: rotate 90° counter-clockwise
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
