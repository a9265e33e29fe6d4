using System.Diagnostics;
using QwenVlStudio.Inference.Imaging;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Imaging;

public sealed class BicubicResamplerFacts(ITestOutputHelper output)
{
    private static RgbImage RandomImage(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    [Theory]
    [InlineData(640, 480, 288, 192)]
    [InlineData(64, 64, 128, 128)]
    [InlineData(300, 1000, 128, 448)]
    [InlineData(1001, 7, 33, 64)]
    public void Resize_KeepsAConstantImageConstant_WhenShrinkingOrEnlarging(int w, int h, int outW, int outH)
    {
        var pixels = new byte[w * h * 3];
        for (int i = 0; i < pixels.Length; i += 3)
            (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)0, (byte)200, (byte)255);

        var resized = BicubicResampler.Resize(new RgbImage(w, h, pixels), outW, outH);

        Assert.Equal((outW, outH), (resized.Width, resized.Height));
        for (int y = 0; y < outH; y++)
        for (int x = 0; x < outW; x++)
            Assert.Equal((0, 200, 255), (resized[x, y, 0], resized[x, y, 1], resized[x, y, 2]));
    }

    [Fact]
    public void Resize_ReturnsAnEqualCopy_WhenSizeIsUnchanged()
    {
        var image = RandomImage(40, 30, 1);

        var resized = BicubicResampler.Resize(image, 40, 30);

        Assert.NotSame(image.Pixels, resized.Pixels);
        Assert.Equal(image.Pixels, resized.Pixels);
    }

    [Fact]
    public void Resize_OnlyFiltersTheChangedAxis_WhenWidthIsUnchanged()
    {
        // Every row is one value: a vertical-only resize must keep each output row uniform.
        var image = RandomImage(50, 80, 2);
        for (int y = 0; y < 80; y++)
            for (int x = 1; x < 50; x++)
                for (int c = 0; c < 3; c++)
                    image.Pixels[(y * 50 + x) * 3 + c] = image.Pixels[y * 50 * 3 + c];

        var resized = BicubicResampler.Resize(image, 50, 33);

        for (int y = 0; y < 33; y++)
            for (int x = 1; x < 50; x++)
                Assert.Equal(resized[0, y, 1], resized[x, y, 1]);
    }

    [Fact]
    public void Resize_ShrinksAFourThousandPixelPhotoToOneMegapixel()
    {
        var photo = RandomImage(4000, 3000, 3);
        var (h, w) = SmartResize.Compute(3000, 4000, 32, 65536, 1_048_576);

        var watch = Stopwatch.StartNew();
        var resized = BicubicResampler.Resize(photo, w, h);
        watch.Stop();

        // Timing is reported, not asserted (machines differ); the size is the contract.
        output.WriteLine($"4000x3000 -> {w}x{h}: {watch.ElapsedMilliseconds} ms");
        Assert.Equal((w, h), (resized.Width, resized.Height));
        Assert.True((long)w * h <= 1_048_576);
    }

    [Theory]
    [InlineData(64, 48)]
    [InlineData(40, 97)]
    [InlineData(131, 300)]
    [InlineData(256, 200)]
    [InlineData(33, 29)]
    public void Resize_StaysWithinRoundingOfPilBicubic_AtScalesTheGoldensDoNotCover(int width, int height)
    {
        var decoder = new ImageDecoder(new ImagePreprocessorOptions());
        var source = decoder.Decode(File.ReadAllBytes(Fixture("resample_source.png")));
        var pil = decoder.Decode(File.ReadAllBytes(Fixture($"resample_source.pil-bicubic-{width}x{height}.png")));

        var ours = BicubicResampler.Resize(source, width, height);

        // Same geometry, different fixed-point precision: differences are rare and at most a level per pass.
        int differing = 0, maxDiff = 0;
        for (int i = 0; i < ours.Pixels.Length; i++)
        {
            int d = Math.Abs(ours.Pixels[i] - pil.Pixels[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (d != 0) differing++;
        }
        double share = 100.0 * differing / ours.Pixels.Length;
        output.WriteLine($"{width}x{height}: {share:0.000} % of values differ from PIL, max {maxDiff}");
        Assert.True(maxDiff <= 2, $"max diff {maxDiff}");
        Assert.True(share < 1.0, $"{share} % differ");
    }

    private static string Fixture(string name) =>
        Path.Combine(Support.TestPaths.RepoRoot, "tests", "QwenVlStudio.Inference.Tests", "Imaging", "Fixtures", name);
}
