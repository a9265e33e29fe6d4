using System.Text;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Files that look like images to a careless server: each one must fail with a clear reason.</summary>
public static class BadImages
{
    public static byte[] NotAnImage() => Encoding.UTF8.GetBytes("name,value\nthis is a CSV file, not a picture\n");

    /// <summary>A valid PNG whose data stops halfway: its header is fine, its pixels are not all there.</summary>
    public static byte[] Truncated()
    {
        var png = TestImages.Png(320, 200);
        return png[..(png.Length * 6 / 10)];
    }

    /// <summary>
    /// A decompression bomb: a few dozen bytes whose header announces a 100,000 × 100,000 picture (10 gigapixels,
    /// 40 GB decoded). The header is well-formed (CRC included) so that only the pixel limit can refuse it.
    /// </summary>
    public static byte[] PixelBomb(int width = 100_000, int height = 100_000) => PngBomb.Build(width, height);
}
