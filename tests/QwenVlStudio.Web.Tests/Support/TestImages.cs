using SkiaSharp;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Small real images encoded on the fly.</summary>
public static class TestImages
{
    public static byte[] Png(int width = 32, int height = 24) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width = 32, int height = 24) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Webp(int width = 32, int height = 24) => Encode(width, height, SKEncodedImageFormat.Webp);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.CornflowerBlue);
            using var paint = new SKPaint { Color = SKColors.OrangeRed };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
