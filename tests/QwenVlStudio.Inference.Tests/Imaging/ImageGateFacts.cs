using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>The one header check: what it accepts, what it refuses and why, before a pixel is decoded.</summary>
public sealed class ImageGateFacts
{
    private static readonly ImageGate Gate = new(maxEncodedBytes: 1 << 20, maxDecodedPixels: 25_000);

    [Fact]
    public void Check_KnowsEveryFormatOfTheOneList()
    {
        byte[] rgba = [1, 2, 3, 255, 4, 5, 6, 255];
        var files = new Dictionary<SupportedImageFormat, byte[]>
        {
            [SupportedImageFormat.Jpeg] = TestImageFiles.Encode(2, 1, rgba, SupportedImageFormat.Jpeg),
            [SupportedImageFormat.Png] = TestImageFiles.Encode(2, 1, rgba, SupportedImageFormat.Png),
            [SupportedImageFormat.Gif] = TestImageFiles.Gif(2, 1, [(0, 0, 0), (1, 1, 1), (2, 2, 2), (3, 3, 3)], [0, 1]),
            [SupportedImageFormat.Webp] = TestImageFiles.Encode(2, 1, rgba, SupportedImageFormat.Webp),
            [SupportedImageFormat.Bmp] = TestImageFiles.Bmp(2, 1, (x, _) => ((byte)x, 0, 0)),
        };

        Assert.Equal(SupportedImageFormat.All, files.Keys);
        foreach (var (format, file) in files)
            Assert.Equal((format, 2, 1), (Gate.Check(file).Format, Gate.Check(file).Width, Gate.Check(file).Height));
    }

    [Fact]
    public void Check_RefusesAnimatedWebp_ByName()
    {
        // ImageSharp 2 cannot decode animated WebP; the refusal says so rather than "corrupt".
        var webp = TestImageFiles.AnimatedWebp(10, 10, (255, 0, 0), (0, 0, 255));

        var error = Assert.Throws<ImageRejectedException>(() => Gate.Check(webp));

        Assert.Equal("animated WebP images are not supported; send a still image (JPEG, PNG, GIF, WebP or BMP), e.g. its first frame", error.Message);
    }

    [Fact]
    public void Check_AcceptsAStillWebp_WithAVp8xHeader()
    {
        // Guards the test above: the same file with the animation flag cleared passes the animation check
        // (ImageSharp then refuses the ANMF chunks it does not expect in a still file, as corrupt).
        var webp = TestImageFiles.AnimatedWebp(10, 10, (255, 0, 0));
        webp[20] = 0;

        var error = Assert.Throws<ImageRejectedException>(() => Gate.Check(webp));

        Assert.DoesNotContain("animated", error.Message);
    }

    [Fact]
    public void Check_RefusesFilesOverTheByteLimit_BeforeReadingThem()
    {
        var error = Assert.Throws<ImageRejectedException>(() => new ImageGate(10, 1000).Check(new byte[11]));

        Assert.Equal("the image file is 11 bytes; the limit is 10 bytes", error.Message);
    }

    [Fact]
    public void Check_CountsPixelsOfTheStoredImage_AndReportsTheUprightSize()
    {
        var jpeg = TestImageFiles.WithExifOrientation(
            TestImageFiles.Encode(64, 48, TestImageFiles.QuadrantsRgba(64, 48), SupportedImageFormat.Jpeg), 8);

        var header = new ImageGate(1 << 20, 64 * 48).Check(jpeg);

        Assert.Equal((SupportedImageFormat.Jpeg, 48, 64), (header.Format, header.Width, header.Height));
    }

    [Fact]
    public void Decode_AcceptsAJpeg_WithDataAfterItsEndMarker()
    {
        // Cameras and editors append thumbnails or padding after EOI; only a file cut before EOI is truncated.
        var jpeg = TestImageFiles.Encode(16, 16, TestImageFiles.QuadrantsRgba(16, 16), SupportedImageFormat.Jpeg);
        byte[] padded = [.. jpeg, 0, 0, 0, 0x12, 0x34];

        var image = new ImageDecoder(new ImagePreprocessorOptions()).Decode(padded);

        Assert.Equal((16, 16), (image.Width, image.Height));
    }

    [Fact]
    public void Decode_RefusesAJpegCutInsideItsScan_AsTruncated()
    {
        var jpeg = TestImageFiles.Encode(16, 16, TestImageFiles.QuadrantsRgba(16, 16), SupportedImageFormat.Jpeg);

        var error = Assert.Throws<ImageRejectedException>(() => new ImageDecoder(new ImagePreprocessorOptions()).Decode(jpeg[..^2]));

        Assert.StartsWith("the JPEG image is truncated", error.Message);
    }
}
