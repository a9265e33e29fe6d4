using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class ImagePreprocessorFacts
{
    private readonly ImagePreprocessor _preprocessor = new(GoldenImageCases.TinyOptions());

    [Fact]
    public void Preprocess_UsesTheOverrideBudget_WhenGivenOne()
    {
        // 480×640 with max 262144: beta = sqrt(307200/262144); floor(480/beta/32)·32 = 416, floor(640/beta/32)·32 = 576.
        var image = _preprocessor.Preprocess(GoldenImageCases.ReadImage("image1_640x480.png"), 16384, 262144);

        Assert.Equal((1, 26, 36), (image.GridT, image.GridH, image.GridW));
        Assert.Equal(26 * 36 * 1536, image.PixelValues.Length);
        Assert.Equal(26 * 36 / 4, image.MergedTokenCount(2));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(5000, 4000)]
    public void Preprocess_Throws_WhenOverrideBudgetIsInvalid(long min, long max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _preprocessor.Preprocess(GoldenImageCases.ReadImage("image4_256x192.png"), min, max));
    }

    [Fact]
    public void Preprocess_GivesUprightGrid_ForARotatedJpeg()
    {
        // A 64×48 JPEG tagged "rotate 90°" is a 48×64 picture: with budget [16384, 65536] that is 128 wide × 160 high.
        var jpeg = TestImageFiles.WithExifOrientation(
            TestImageFiles.Encode(64, 48, TestImageFiles.QuadrantsRgba(64, 48), SupportedImageFormat.Jpeg), 6);
        var (h, w) = SmartResize.Compute(64, 48, 32, 16384, 65536);

        var image = _preprocessor.Preprocess(jpeg);

        Assert.Equal((h / 16, w / 16), (image.GridH, image.GridW));
        Assert.True(h > w);
    }

    [Fact]
    public void Preprocess_GivesIdenticalResults_WhenCalledFromManyThreads()
    {
        var bytes = GoldenImageCases.ReadImage("image2_300x1000.png");
        var reference = _preprocessor.Preprocess(bytes).PixelValues;

        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = _preprocessor.Preprocess(bytes).PixelValues);

        Assert.All(results, r => Assert.Equal(reference, r));
    }
}
