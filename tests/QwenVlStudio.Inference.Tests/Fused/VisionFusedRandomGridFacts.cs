using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Onnx;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>
/// On grids the goldens do not cover (non-square, one merge block wide, larger), the fused graph gives the legacy
/// graph's features (the legacy graph is within 1.5e-5 of PyTorch on these grids, model-package.md §11).
/// </summary>
public class VisionFusedRandomGridFacts(VisionEncodersFixture encoders, ITestOutputHelper output) : IClassFixture<VisionEncodersFixture>
{
    [Theory]
    [InlineData(16, 20, 1)]
    [InlineData(28, 8, 2)]
    [InlineData(12, 8, 3)]
    [InlineData(2, 2, 4)]
    [InlineData(2, 30, 5)]
    public void FusedVision_MatchesLegacyGraph_OnRandomPixels(int gridH, int gridW, int seed)
    {
        var (legacy, fused) = EncodeBoth(encoders.Fused, gridH, gridW, seed);

        var image = VisionFeatureDiff.Of(legacy.ImageFeatures, fused.ImageFeatures);
        var deepstack = VisionFeatureDiff.Of(legacy.DeepstackFeatures, fused.DeepstackFeatures);
        output.WriteLine($"{gridH}×{gridW}: fused vs legacy max abs {image.Max:E2} / deepstack {deepstack.Max:E2}");
        Assert.True(image.Max <= 1e-4f, $"image_features max abs diff {image.Max}");
        Assert.True(deepstack.Max <= 1e-4f, $"deepstack_features max abs diff {deepstack.Max}");
    }

    [Theory]
    [InlineData(16, 20, 1)]
    [InlineData(28, 8, 2)]
    public void FusedInt8Vision_StaysNearLegacyGraph_OnRandomPixels(int gridH, int gridW, int seed)
    {
        var (legacy, int8) = EncodeBoth(encoders.FusedInt8, gridH, gridW, seed);

        var diff = VisionFeatureDiff.Of(legacy.ImageFeatures, int8.ImageFeatures);
        float scale = VisionFeatureDiff.MaxAbs(legacy.ImageFeatures);
        output.WriteLine($"{gridH}×{gridW}: int8 vs fp32 max abs {diff.Max:F4}, mean abs {diff.Mean:F4} (max |fp32| {scale:F2})");
        // Same reasoning and bound as VisionFusedGoldenFacts' int8 test (a few per cent of the feature range).
        Assert.True(diff.Max <= 0.05 * scale, $"int8 max abs diff {diff.Max} > 5 % of {scale}");
    }

    private (VisionFeatures Legacy, VisionFeatures Other) EncodeBoth(VisionEncoder other, int gridH, int gridW, int seed)
    {
        var vision = encoders.Package.Config.Vision;
        var positions = VisionPositions.Compute(gridH, gridW, vision.SpatialMergeSize, vision.NumPositionEmbeddings);
        var random = new Random(seed);
        // Pixel values of a real image lie in [−1, 1] (§2 normalisation).
        var pixels = new float[positions.NumPatches * vision.PatchRowLength];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)(random.NextDouble() * 2 - 1);
        var legacy = encoders.Legacy.Encode(pixels, positions.NumPatches, positions.PosEmbedIdx, positions.PosEmbedWeight, positions.RotaryPosIds);
        var result = other.Encode(pixels, positions.NumPatches, positions.PosEmbedIdx, positions.PosEmbedWeight, positions.RotaryPosIds);
        return (legacy, result);
    }
}
