using QwenVlStudio.Inference.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// Deterministic test pictures (gradient, disc, square, caption) drawn pixel by pixel and encoded with ImageSharp,
/// so every run sees the same input.
/// </summary>
internal static class BenchImages
{
    private static readonly Rgba32 GradientStart = new(30, 90, 200), GradientEnd = new(240, 200, 60);
    private static readonly Rgba32 Red = new(200, 30, 40), Green = new(20, 160, 80), Black = new(0, 0, 0);

    /// <param name="variant">0: the standard picture; others move the disc and number the caption, so that
    /// concurrent bench chats each send a different image (no cache shortcut between them).</param>
    public static byte[] Png(int width, int height, int variant = 0) => Encode(Draw(width, height, variant), new PngEncoder());

    public static byte[] Jpeg(int width, int height, int quality) => Encode(Draw(width, height, 0), new JpegEncoder { Quality = quality });

    private static byte[] Encode(Image<Rgba32> image, IImageEncoder encoder)
    {
        using (image)
        {
            using var file = new MemoryStream();
            image.Save(file, encoder);
            return file.ToArray();
        }
    }

    private static Image<Rgba32> Draw(int width, int height, int variant)
    {
        var image = new Image<Rgba32>(width, height);
        float cx = width * (0.3f + 0.05f * (variant % 4)), cy = height * 0.4f, radius = Math.Min(width, height) * 0.2f;
        float squareLeft = width * 0.55f, squareTop = height * 0.2f, squareRight = squareLeft + width * 0.3f, squareBottom = squareTop + height * 0.35f;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                {
                    // Linear gradient along the diagonal, as a projection onto (width, height).
                    float t = Math.Clamp((x * (float)width + y * (float)height) / ((float)width * width + (float)height * height), 0, 1);
                    var pixel = Lerp(GradientStart, GradientEnd, t);
                    // The disc's edge is antialiased over one pixel.
                    float distance = MathF.Sqrt((x + 0.5f - cx) * (x + 0.5f - cx) + (y + 0.5f - cy) * (y + 0.5f - cy));
                    pixel = Lerp(pixel, Red, Math.Clamp(radius - distance + 0.5f, 0, 1));
                    if (x + 0.5f >= squareLeft && x + 0.5f < squareRight && y + 0.5f >= squareTop && y + 0.5f < squareBottom)
                        pixel = Green;
                    row[x] = pixel;
                }
            }
        });
        var caption = variant == 0 ? "QwenVL Studio 2026" : $"QwenVL Studio 2026 #{variant}";
        PixelFont.Draw(image, caption, (int)(width * 0.08f), (int)(height * 0.85f), Math.Max(1, (int)(height / 12f / PixelFont.GlyphHeight)), Black);
        return image;
    }

    private static Rgba32 Lerp(Rgba32 a, Rgba32 b, float t) => new(
        (byte)MathF.Round(a.R + (b.R - a.R) * t), (byte)MathF.Round(a.G + (b.G - a.G) * t), (byte)MathF.Round(a.B + (b.B - a.B) * t));
}
