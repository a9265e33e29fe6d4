using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class SmartResizeFacts
{
    [Theory]
    [MemberData(nameof(GoldenImageCases.CaseNames), MemberType = typeof(GoldenImageCases))]
    public void Compute_GivesTheGoldenGrid_ForEveryGoldenImage(string caseName)
    {
        var options = GoldenImageCases.TinyOptions();
        var decoder = new ImageDecoder(options);
        var grids = GoldenImageCases.Grids(caseName);
        var files = GoldenImageCases.ImagesByCase[caseName];
        Assert.Equal(files.Length, grids.Length);

        for (int i = 0; i < files.Length; i++)
        {
            var header = decoder.ReadHeader(GoldenImageCases.ReadImage(files[i]));
            var (h, w) = SmartResize.Compute(header.Height, header.Width, options.ResizeFactor, options.MinPixels, options.MaxPixels);
            Assert.Equal((grids[i].H * options.PatchSize, grids[i].W * options.PatchSize), (h, w));
        }
    }

    [Theory]
    [InlineData(80, 48, 64, 64)]    // 2.5 and 1.5 round half to even: both to 2 × 32
    [InlineData(112, 112, 128, 128)] // 3.5 rounds to 4
    [InlineData(144, 100, 128, 96)]  // 4.5 → 4, 3.125 → 3
    [InlineData(33, 47, 32, 32)]     // plain rounding
    public void Compute_RoundsHalfToEven_LikePython(int h, int w, int expectedH, int expectedW)
    {
        Assert.Equal((expectedH, expectedW), SmartResize.Compute(h, w, 32, 1, long.MaxValue));
    }

    [Fact]
    public void Compute_ShrinksIntoTheBudget_WhenAboveMaxPixels()
    {
        // beta = sqrt(12e6 / 2^20) = 3.3829…; floor(3000/beta/32)·32 = 864, floor(4000/beta/32)·32 = 1152.
        Assert.Equal((864, 1152), SmartResize.Compute(3000, 4000, 32, 65536, 1 << 20));
    }

    [Fact]
    public void Compute_KeepsAtLeastOneFactor_WhenAThinSideWouldFloorToZero()
    {
        Assert.Equal((32, 3616), SmartResize.Compute(32, 6400, 32, 1024, 65536));
    }

    [Fact]
    public void Compute_GrowsToTheBudget_WhenBelowMinPixels()
    {
        // beta = sqrt(16384 / 4096) = 2: 64 → ceil(128/32)·32 = 128.
        Assert.Equal((128, 128), SmartResize.Compute(64, 64, 32, 16384, 65536));
        // A 10×10 image rounds to 0×0 first, then grows: beta = sqrt(16384/100) = 12.8 → ceil(128/32)·32 = 128.
        Assert.Equal((128, 128), SmartResize.Compute(10, 10, 32, 16384, 65536));
    }

    [Fact]
    public void Compute_AcceptsExactly200To1_AndRejectsBeyond()
    {
        var (h, w) = SmartResize.Compute(1, 200, 32, 16384, 65536);
        Assert.True(h >= 32 && w >= 32);

        var error = Assert.Throws<ImageRejectedException>(() => SmartResize.Compute(1, 201, 32, 16384, 65536));
        Assert.Contains("aspect ratio exceeds 200:1", error.Message);
    }
}
