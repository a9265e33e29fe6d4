using System.Text;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>Hostile or broken uploads are refused with a message that says why, and nothing breaks for the next image.</summary>
public sealed class BadImageInputFacts
{
    private readonly ImagePreprocessor _preprocessor = new(GoldenImageCases.TinyOptions());

    public static TheoryData<string, string> BadFiles => new()
    {
        { "empty", "empty (0 bytes)" },
        { "truncated png", "truncated" },
        { "truncated jpeg", "truncated" },
        { "png header only", "truncated or corrupt" },
        { "random bytes", "not a recognised image" },
        { "text", "a text file" },
        { "svg", "SVG" },
        { "tiff", "TIFF" },
        { "pdf", "PDF" },
        { "png bomb 30000x30000", "30000×30000 = 900,000,000 pixels; the limit is 50,000,000 pixels" },
        { "aspect ratio 201:1", "aspect ratio exceeds 200:1" },
    };

    private static byte[] Build(string kind)
    {
        var golden = GoldenImageCases.ReadImage("image1_640x480.png");
        return kind switch
        {
            "empty" => [],
            "truncated png" => golden[..(golden.Length / 2)],
            "truncated jpeg" => TruncatedJpeg(),
            "png header only" => golden[..20],
            "random bytes" => RandomBytes(),
            "text" => Encoding.UTF8.GetBytes("Hello, this is not an image.\nJust some notes — ünïcödé included.\n"),
            "svg" => Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"),
            "tiff" => [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "pdf" => Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n"),
            "png bomb 30000x30000" => PngBomb.Build(30000, 30000),
            "aspect ratio 201:1" => TestImageFiles.Bmp(402, 2, (_, _) => (1, 2, 3)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x01; // make sure no magic number happens to match
        return bytes;
    }

    private static byte[] TruncatedJpeg()
    {
        var rgba = new byte[256 * 256 * 4];
        new Random(5).NextBytes(rgba);
        var jpeg = TestImageFiles.Encode(256, 256, rgba, SupportedImageFormat.Jpeg, 90);
        return jpeg[..(jpeg.Length / 2)];
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Preprocess_ThrowsImageRejected_ThenStillWorks_WhenFileIsBad(string kind, string expectedMessagePart)
    {
        var bad = Build(kind);

        var error = Assert.Throws<ImageRejectedException>(() => _preprocessor.Preprocess(bad));

        Assert.Contains(expectedMessagePart, error.Message);
        var good = _preprocessor.Preprocess(GoldenImageCases.ReadImage("image4_256x192.png"));
        Assert.Equal((1, 12, 16), (good.GridT, good.GridH, good.GridW));
    }

    [Fact]
    public void ReadHeader_RejectsPngBomb_WithoutDecodingIt()
    {
        var decoder = new ImageDecoder(new ImagePreprocessorOptions());

        var error = Assert.Throws<ImageRejectedException>(() => decoder.ReadHeader(PngBomb.Build(30000, 30000)));

        Assert.Contains("900,000,000 pixels", error.Message);
    }

    [Fact]
    public void Decode_AcceptsTheSameHeaderShape_WhenItIsWithinTheLimit()
    {
        // Guards the bomb test: the crafted file is a real PNG that ImageSharp identifies, so the refusal above is the pixel limit.
        var decoder = new ImageDecoder(new ImagePreprocessorOptions());

        var header = decoder.ReadHeader(PngBomb.Build(300, 200));

        Assert.Equal(new ImageHeader(SupportedImageFormat.Png, 300, 200, false), header);
    }

    [Fact]
    public void Preprocess_RejectsFilesOverTheByteLimit_BeforeDecoding()
    {
        var preprocessor = new ImagePreprocessor(GoldenImageCases.TinyOptions() with { MaxEncodedBytes = 1000 });

        var error = Assert.Throws<ImageRejectedException>(() => preprocessor.Preprocess(GoldenImageCases.ReadImage("image1_640x480.png")));

        Assert.Contains("8,160 bytes; the limit is 1,000 bytes", error.Message);
    }

    [Fact]
    public void Preprocess_RejectsOtherImageFormats_WithTheirName()
    {
        // A 1×1 ICO wrapping a PNG: a real image, but the model accepts only the five web formats.
        var png = TestImageFiles.Encode(1, 1, [9, 9, 9, 255], SupportedImageFormat.Png);
        var ico = new byte[22 + png.Length];
        ico[2] = 1; ico[4] = 1;                        // ICONDIR: type icon, one image
        ico[6] = 1; ico[7] = 1;                        // entry: 1×1
        ico[10] = 1; ico[12] = 32;                     // planes, bits per pixel
        BitConverter.GetBytes(png.Length).CopyTo(ico, 14);
        BitConverter.GetBytes(22).CopyTo(ico, 18);
        png.CopyTo(ico, 22);

        var error = Assert.Throws<ImageRejectedException>(() => _preprocessor.Preprocess(ico));

        Assert.Equal("the file is an ICO icon, a format this server does not take; send JPEG, PNG, GIF, WebP or BMP", error.Message);
    }
}
