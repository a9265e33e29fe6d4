using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>onnx/vision_fused.onnx reproduces the PyTorch reference's image and DeepStack features of every golden image.</summary>
public class VisionFusedGoldenFacts(VisionEncodersFixture encoders, ITestOutputHelper output) : IClassFixture<VisionEncodersFixture>
{
    private const float Fp32Tolerance = 1e-4f;

    // int8 vision (per-channel int8 weights, per-tensor uint8 activations in all 21 linear layers): every layer adds
    // ≈ 1/255 of its input range of error, and 3 blocks + merger chain ~10 layers, so a few per cent of the feature
    // range is expected; measured 0.21 / 0.26 max abs on features of magnitude ≈ 11–14 (about 2 %). The bounds catch
    // a broken quantizer (wrong packing or scale gives errors of the order of the features themselves) with room
    // for the different golden images.
    private const double Int8MaxRelative = 0.05;
    private const double Int8MeanRelative = 0.01;

    [Theory]
    [MemberData(nameof(ImageCases))]
    public void FusedVision_MatchesGoldenFeatures_ForEveryGoldenImage(string name)
    {
        var golden = GoldenCase.Load(name);
        var pixels = golden.PixelValuesPerImage(encoders.Package.Config.Vision.PatchRowLength);
        Assert.NotEmpty(pixels);

        for (int i = 0; i < pixels.Count; i++)
        {
            var features = Encode(encoders.Fused, golden, pixels, i);
            var image = VisionFeatureDiff.Of(golden.Npy($"image_features_{i}.npy").AsFloat32(), features.ImageFeatures);
            var deepstack = VisionFeatureDiff.Of(golden.Npy($"deepstack_features_{i}.npy").AsFloat32(), features.DeepstackFeatures);
            output.WriteLine($"{name} image {i}: fused fp32 vs golden max abs {image.Max:E2} / deepstack {deepstack.Max:E2}");
            Assert.True(image.Max <= Fp32Tolerance, $"image_features max abs diff {image.Max} > {Fp32Tolerance}");
            Assert.True(deepstack.Max <= Fp32Tolerance, $"deepstack_features max abs diff {deepstack.Max} > {Fp32Tolerance}");
        }
    }

    [Theory]
    [MemberData(nameof(ImageCases))]
    public void FusedInt8Vision_StaysNearGoldenFeatures_ForEveryGoldenImage(string name)
    {
        var golden = GoldenCase.Load(name);
        var pixels = golden.PixelValuesPerImage(encoders.Package.Config.Vision.PatchRowLength);

        for (int i = 0; i < pixels.Count; i++)
        {
            var features = Encode(encoders.FusedInt8, golden, pixels, i);
            foreach (var (label, expected, actual) in new[]
                     {
                         ("image_features", golden.Npy($"image_features_{i}.npy").AsFloat32(), features.ImageFeatures),
                         ("deepstack_features", golden.Npy($"deepstack_features_{i}.npy").AsFloat32(), features.DeepstackFeatures),
                     })
            {
                var diff = VisionFeatureDiff.Of(expected, actual);
                float scale = VisionFeatureDiff.MaxAbs(expected);
                output.WriteLine($"{name} image {i} {label}: int8 vs golden max abs {diff.Max:F4}, mean abs {diff.Mean:F4} (max |golden| {scale:F2})");
                Assert.True(diff.Max <= Int8MaxRelative * scale, $"{label}: int8 max abs diff {diff.Max} > {Int8MaxRelative} × {scale}");
                Assert.True(diff.Mean <= Int8MeanRelative * scale, $"{label}: int8 mean abs diff {diff.Mean} > {Int8MeanRelative} × {scale}");
            }
        }
    }

    private static VisionFeatures Encode(VisionEncoder encoder, GoldenCase golden, IReadOnlyList<float[]> pixels, int i)
    {
        var (t, h, w) = golden.ImageGrids[i];
        return encoder.Encode(pixels[i], t * h * w,
            golden.Npy($"vision_pos_embed_idx_{i}.npy").AsInt64(),
            golden.Npy($"vision_pos_embed_weight_{i}.npy").AsFloat32(),
            golden.Npy($"vision_rotary_pos_ids_{i}.npy").AsInt64());
    }

    public static TheoryData<string> ImageCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in TestPaths.GoldenCaseNames.Where(n => File.Exists(Path.Combine(TestPaths.GoldenCase(n), "pixel_values.npy"))))
            data.Add(name);
        return data;
    }
}
