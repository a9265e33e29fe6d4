using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class ImageDecoderFacts
{
    private static readonly ImageDecoder Decoder = new(new ImagePreprocessorOptions());

    private static (byte R, byte G, byte B) At(RgbImage image, int x, int y) => (image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    private static void AssertClose((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance, $"expected ≈{expected}, got {actual}");
    }

    [Fact]
    public void Decode_ReadsGoldenPng_WithItsSize()
    {
        var image = Decoder.Decode(GoldenImageCases.ReadImage("image1_640x480.png"));

        Assert.Equal((640, 480), (image.Width, image.Height));
    }

    [Fact]
    public void Decode_ReturnsExactPixels_ForLosslessWebP()
    {
        var rgba = new byte[7 * 5 * 4];
        new Random(11).NextBytes(rgba);
        for (int i = 3; i < rgba.Length; i += 4)
            rgba[i] = 255;

        var image = Decoder.Decode(TestImageFiles.Encode(7, 5, rgba, SupportedImageFormat.Webp));

        Assert.Equal((7, 5), (image.Width, image.Height));
        for (int p = 0; p < 35; p++)
            Assert.Equal((rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]), (image.Pixels[3 * p], image.Pixels[3 * p + 1], image.Pixels[3 * p + 2]));
    }

    [Fact]
    public void Decode_ReturnsExactPixels_ForUncompressedBmp()
    {
        var bmp = TestImageFiles.Bmp(5, 3, (x, y) => ((byte)(x * 50), (byte)(y * 100), (byte)(x + y)));

        var image = Decoder.Decode(bmp);

        Assert.Equal((5, 3), (image.Width, image.Height));
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                Assert.Equal(((byte)(x * 50), (byte)(y * 100), (byte)(x + y)), At(image, x, y));
    }

    [Fact]
    public void Decode_ReturnsTheFirstFrame_ForAnimatedGif()
    {
        (byte, byte, byte)[] palette = [(10, 20, 30), (200, 0, 0), (0, 200, 0), (0, 0, 200)];
        byte[] first = [0, 1, 2, 3, 1, 1];
        byte[] second = [3, 3, 3, 3, 3, 3];

        var image = Decoder.Decode(TestImageFiles.Gif(3, 2, palette, first, second));

        Assert.Equal((3, 2), (image.Width, image.Height));
        for (int p = 0; p < 6; p++)
            Assert.Equal(palette[first[p]], At(image, p % 3, p / 3));
    }

    [Fact]
    public void Decode_ReadsJpegColours_WithinCompressionNoise()
    {
        var jpeg = TestImageFiles.Encode(64, 48, TestImageFiles.QuadrantsRgba(64, 48), SupportedImageFormat.Jpeg);

        var image = Decoder.Decode(jpeg);

        Assert.Equal((64, 48), (image.Width, image.Height));
        AssertClose((255, 0, 0), At(image, 8, 8), 12);
        AssertClose((0, 255, 0), At(image, 56, 8), 12);
        AssertClose((0, 0, 255), At(image, 8, 40), 12);
        AssertClose((255, 255, 255), At(image, 56, 40), 12);
    }

    public static TheoryData<ushort, string> Orientations => new()
    {
        // Expected colours of the top-left, top-right, bottom-left, bottom-right quadrants once upright.
        { 1, "RGBW" }, { 2, "GRWB" }, { 3, "WBGR" }, { 4, "BWRG" },
        { 5, "RBGW" }, { 6, "BRWG" }, { 7, "WGBR" }, { 8, "GWRB" },
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Decode_AppliesExifOrientation_ToJpeg(ushort orientation, string quadrants)
    {
        var jpeg = TestImageFiles.WithExifOrientation(
            TestImageFiles.Encode(64, 48, TestImageFiles.QuadrantsRgba(64, 48), SupportedImageFormat.Jpeg), orientation);

        var header = Decoder.ReadHeader(jpeg);
        var image = Decoder.Decode(jpeg);

        bool swapped = orientation >= 5;
        var expectedSize = swapped ? (48, 64) : (64, 48);
        Assert.Equal(expectedSize, (header.Width, header.Height));
        Assert.Equal(expectedSize, (image.Width, image.Height));
        int w = image.Width, h = image.Height;
        (int X, int Y)[] probes = [(w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4)];
        for (int q = 0; q < 4; q++)
        {
            (byte, byte, byte) colour = quadrants[q] switch
            {
                'R' => (255, 0, 0),
                'G' => (0, 255, 0),
                'B' => (0, 0, 255),
                _ => (255, 255, 255),
            };
            AssertClose(colour, At(image, probes[q].X, probes[q].Y), 12);
        }
    }

    [Fact]
    public void Decode_FlattensTransparentPngOntoWhite_ByDefault()
    {
        // Pixels: opaque red, fully transparent black, half-transparent blue, 20 % opaque grey.
        byte[] rgba = [255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 128, 100, 100, 100, 51];
        var png = TestImageFiles.Encode(4, 1, rgba, SupportedImageFormat.Png);

        var image = Decoder.Decode(png);

        Assert.Equal(((byte)255, (byte)0, (byte)0), At(image, 0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), At(image, 1, 0));
        // round((0·128 + 255·127)/255) = 127, blue stays 255.
        Assert.Equal(((byte)127, (byte)127, (byte)255), At(image, 2, 0));
        // round((100·51 + 255·204)/255) = round(224.0) = 224.
        Assert.Equal(((byte)224, (byte)224, (byte)224), At(image, 3, 0));
    }

    [Fact]
    public void Decode_DropsAlphaLikeQwenReference_WhenFlatteningIsOff()
    {
        byte[] rgba = [255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 128, 100, 100, 100, 51];
        var png = TestImageFiles.Encode(4, 1, rgba, SupportedImageFormat.Png);
        var decoder = new ImageDecoder(new ImagePreprocessorOptions { FlattenAlphaOntoWhite = false });

        var image = decoder.Decode(png);

        Assert.Equal(((byte)0, (byte)0, (byte)0), At(image, 1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)255), At(image, 2, 0));
        Assert.Equal(((byte)100, (byte)100, (byte)100), At(image, 3, 0));
    }

    [Fact]
    public void ReadHeader_ReportsFormatSizeAndAlpha_WithoutDecoding()
    {
        byte[] rgba = [1, 2, 3, 4, 5, 6, 7, 8];
        var header = Decoder.ReadHeader(TestImageFiles.Encode(2, 1, rgba, SupportedImageFormat.Png));

        Assert.Equal(new ImageHeader(SupportedImageFormat.Png, 2, 1, true), header);
    }
}
