using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Small real images encoded on the fly: an orange-red disc on cornflower blue.</summary>
public static class TestImages
{
    public static byte[] Png(int width = 32, int height = 24) => Encode(width, height, new PngEncoder());

    public static byte[] Jpeg(int width = 32, int height = 24) => Encode(width, height, new JpegEncoder { Quality = 90 });

    public static byte[] Webp(int width = 32, int height = 24) => Encode(width, height, new WebpEncoder { Quality = 90 });

    private static byte[] Encode(int width, int height, IImageEncoder encoder)
    {
        using var image = new Image<Rgba32>(width, height, Color.CornflowerBlue.ToPixel<Rgba32>());
        var disc = Color.OrangeRed.ToPixel<Rgba32>();
        float radius = Math.Min(width, height) / 3f, cx = width / 2f, cy = height / 2f;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if ((x + 0.5f - cx) * (x + 0.5f - cx) + (y + 0.5f - cy) * (y + 0.5f - cy) <= radius * radius)
                    image[x, y] = disc;
        using var file = new MemoryStream();
        image.Save(file, encoder);
        return file.ToArray();
    }
}
