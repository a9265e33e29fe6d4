using QwenVlStudio.Inference.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Grounding;

/// <summary>
/// Draws the boxes on the upright image (the engine's own decoder, so EXIF orientation is applied) and encodes a PNG.
/// Each box gets a numbered tab (1, 2, … in the order of <c>objects</c>); the labels themselves stay in the JSON,
/// because no font library is served here (<see cref="PixelFont"/> has digits only beside the bench captions).
/// </summary>
public static class GroundingOverlay
{
    private static readonly Rgba32[] Palette =
        [new(0xE6, 0x19, 0x4B), new(0x3C, 0xB4, 0x4B), new(0x43, 0x63, 0xD8), new(0xF5, 0x82, 0x31), new(0x91, 0x1E, 0xB4), new(0x42, 0xD4, 0xF4)];

    /// <summary>The image with the boxes of <paramref name="objects"/> (pixels of the upright image) drawn on it, as PNG.</summary>
    public static byte[] DrawPng(byte[] encodedImage, IReadOnlyList<GroundedObject> objects, ImagePreprocessorOptions? decoding = null)
    {
        var decoded = new ImageDecoder(decoding ?? new ImagePreprocessorOptions()).Decode(encodedImage);
        using var image = Image.LoadPixelData<Rgb24>(decoded.Pixels, decoded.Width, decoded.Height).CloneAs<Rgba32>();
        int stroke = Math.Max(2, Math.Min(image.Width, image.Height) / 200);
        int scale = Math.Max(1, stroke / 2 + 1);
        for (int i = 0; i < objects.Count; i++)
        {
            var box = objects[i].Box;
            var color = Palette[i % Palette.Length];
            int left = Clamp(box.Left, image.Width), right = Clamp(box.Right, image.Width);
            int top = Clamp(box.Top, image.Height), bottom = Clamp(box.Bottom, image.Height);
            Fill(image, left, top, right - left, stroke, color);
            Fill(image, left, bottom - stroke, right - left, stroke, color);
            Fill(image, left, top, stroke, bottom - top, color);
            Fill(image, right - stroke, top, stroke, bottom - top, color);

            string number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int tabWidth = number.Length * (PixelFont.GlyphWidth + 1) * scale + 2 * scale;
            int tabHeight = (PixelFont.GlyphHeight + 2) * scale;
            int tabTop = Math.Max(0, top - tabHeight);
            Fill(image, left, tabTop, tabWidth, tabHeight, color);
            PixelFont.Draw(image, number, left + scale, tabTop + scale, scale, new Rgba32(255, 255, 255));
        }
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    private static int Clamp(double value, int size) => (int)Math.Clamp(Math.Round(value), 0, size);

    private static void Fill(Image<Rgba32> image, int left, int top, int width, int height, Rgba32 color)
    {
        for (int y = Math.Max(0, top); y < Math.Min(image.Height, top + height); y++)
            for (int x = Math.Max(0, left); x < Math.Min(image.Width, left + width); x++)
                image[x, y] = color;
    }
}
