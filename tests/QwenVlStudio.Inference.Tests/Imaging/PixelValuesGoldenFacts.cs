using QwenVlStudio.Inference.Imaging;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>Our preprocessing against the golden pixel_values made by transformers' Qwen2VLImageProcessor.</summary>
public sealed class PixelValuesGoldenFacts(ITestOutputHelper output)
{
    /// <summary>One uint8 level after (x − 127.5)/127.5 is 2/255 (compared with 1 % slack for float rounding).</summary>
    private const float OneLevel = 2f / 255f;

    [Fact]
    public void Preprocess_IsBitIdenticalToGolden_WhenNoResizeIsNeeded()
    {
        var preprocessor = new ImagePreprocessor(GoldenImageCases.TinyOptions());
        var expected = GoldenImageCases.ReadCaseArray("case6_exact_size", "pixel_values.npy");

        var image = preprocessor.Preprocess(GoldenImageCases.ReadImage("image4_256x192.png"));

        Assert.Equal((1, 12, 16), (image.GridT, image.GridH, image.GridW));
        Assert.Equal(expected.Shape, new[] { image.NumPatches, image.PatchRowLength });
        Assert.Equal(expected.AsFloat32(), image.PixelValues);
    }

    [Theory]
    [MemberData(nameof(GoldenImageCases.CaseNames), MemberType = typeof(GoldenImageCases))]
    public void Preprocess_MatchesGoldenWithinOneLevel_ForEveryGoldenCase(string caseName)
    {
        var preprocessor = new ImagePreprocessor(GoldenImageCases.TinyOptions());
        var expected = GoldenImageCases.ReadCaseArray(caseName, "pixel_values.npy").AsFloat32();
        var grids = GoldenImageCases.Grids(caseName);
        var images = GoldenImageCases.ImagesByCase[caseName]
            .Select(f => preprocessor.Preprocess(GoldenImageCases.ReadImage(f)))
            .ToArray();

        Assert.Equal(grids, images.Select(i => (i.GridT, i.GridH, i.GridW)).ToArray());
        var actual = images.SelectMany(i => i.PixelValues).ToArray();
        Assert.Equal(expected.Length, actual.Length);

        int exact = 0, withinOne = 0;
        float maxDiff = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            float diff = Math.Abs(actual[i] - expected[i]);
            maxDiff = Math.Max(maxDiff, diff);
            if (diff == 0) exact++;
            if (diff <= OneLevel * 1.01f) withinOne++;
        }
        double exactShare = 100.0 * exact / actual.Length;
        double withinShare = 100.0 * withinOne / actual.Length;
        output.WriteLine($"{caseName}: {actual.Length} values, bit-identical {exactShare:0.0000} %, within one uint8 level {withinShare:0.0000} %, max |diff| {maxDiff}");
        Assert.True(withinShare >= 99.9, $"{caseName}: only {withinShare:0.0000} % within one level (max diff {maxDiff})");
    }

    [Theory]
    [MemberData(nameof(GoldenImageCases.CaseNames), MemberType = typeof(GoldenImageCases))]
    public void Preprocess_IsBitIdenticalToGolden_ForEveryGoldenCase(string caseName)
    {
        // Stronger than the one-level contract: the integer resampler reproduces torchvision exactly, resized or not.
        var preprocessor = new ImagePreprocessor(GoldenImageCases.TinyOptions());
        var expected = GoldenImageCases.ReadCaseArray(caseName, "pixel_values.npy").AsFloat32();

        var actual = GoldenImageCases.ImagesByCase[caseName]
            .SelectMany(f => preprocessor.Preprocess(GoldenImageCases.ReadImage(f)).PixelValues)
            .ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Preprocess_FollowsThePackageFormula_ForImage5WithoutResize()
    {
        // image5 (224×288) is in no case: build the expected rows straight from model-package.md §2 —
        // v = (x − 127.5)/127.5, row n = (bh, bw, mh, mw), element c·512 + t·256 + py·16 + px.
        var options = GoldenImageCases.TinyOptions();
        var bytes = GoldenImageCases.ReadImage("image5_224x288.png");
        var decoded = new ImageDecoder(options).Decode(bytes);
        Assert.Equal((224, 288), (decoded.Width, decoded.Height));
        int gh = 288 / 16, gw = 224 / 16;
        var expected = new float[gh * gw * 1536];
        int n = 0;
        for (int bh = 0; bh < gh / 2; bh++)
        for (int bw = 0; bw < gw / 2; bw++)
        for (int mh = 0; mh < 2; mh++)
        for (int mw = 0; mw < 2; mw++, n++)
        for (int c = 0; c < 3; c++)
        for (int t = 0; t < 2; t++)
        for (int py = 0; py < 16; py++)
        for (int px = 0; px < 16; px++)
        {
            byte x = decoded[(2 * bw + mw) * 16 + px, (2 * bh + mh) * 16 + py, c];
            expected[n * 1536 + c * 512 + t * 256 + py * 16 + px] = (x - 127.5f) / 127.5f;
        }

        var image = new ImagePreprocessor(options).Preprocess(bytes);

        Assert.Equal((1, gh, gw), (image.GridT, image.GridH, image.GridW));
        Assert.Equal(expected, image.PixelValues);
    }
}
