using SkiaSharp;

namespace QwenVlStudio.Cli.Bench;

/// <summary>Deterministic test pictures (gradient, shapes, text) encoded as PNG, so every run sees the same input.</summary>
internal static class BenchImages
{
    /// <param name="variant">0: the standard picture; others move the circle and number the caption, so that
    /// concurrent bench chats each send a different image (no cache shortcut between them).</param>
    public static byte[] Png(int width, int height, int variant = 0) => Encode(width, height, variant, SKEncodedImageFormat.Png, 100);

    public static byte[] Jpeg(int width, int height, int quality) => Encode(width, height, 0, SKEncodedImageFormat.Jpeg, quality);

    private static byte[] Encode(int width, int height, int variant, SKEncodedImageFormat format, int quality)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        using (var gradient = new SKPaint())
        {
            gradient.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(30, 90, 200), new SKColor(240, 200, 60)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, gradient);
        }
        using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(200, 30, 40) };
        canvas.DrawCircle(width * (0.3f + 0.05f * (variant % 4)), height * 0.4f, Math.Min(width, height) * 0.2f, paint);
        paint.Color = new SKColor(20, 160, 80);
        canvas.DrawRect(width * 0.55f, height * 0.2f, width * 0.3f, height * 0.35f, paint);
        using var font = new SKFont { Size = height / 12f };
        paint.Color = SKColors.Black;
        canvas.DrawText(variant == 0 ? "QwenVL Studio 2026" : $"QwenVL Studio 2026 #{variant}", width * 0.08f, height * 0.85f, SKTextAlign.Left, font, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
