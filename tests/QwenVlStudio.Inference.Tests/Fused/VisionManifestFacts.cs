using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Inference.Weights;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>The 2B-shape fused vision manifests use only kinds and dtypes `qwenvl make-weights` can fill.</summary>
public class VisionManifestFacts
{
    [Theory]
    [InlineData("qwen3-vl-2b-fused", "model.visual.blocks.0.attn.qkv.weight", "float32", 1_600_000_000L)]
    [InlineData("qwen3-vl-2b-fused-int8", "model.visual.blocks.0.attn.qkv.weight_int8", "int8", 400_000_000L)]
    [InlineData("qwen3-vl-2b-fused-int4", "model.visual.blocks.0.attn.qkv.weight_int8", "int8", 400_000_000L)]
    public void FusedVisionManifest_LoadsAndIsFillable(string package, string qkvWeight, string weightDType, long minBytes)
    {
        var manifest = WeightManifest.Load(Path.Combine(TestPaths.RepoRoot, "models", package, "onnx", "vision_fused.manifest.json"));

        Assert.Equal("vision_fused.onnx", manifest.Graph);
        Assert.InRange(manifest.DataFileBytes, minBytes, 2 * minBytes);
        Assert.All(manifest.Tensors, t => Assert.True(WeightWriter.Supports(t.Kind, t.DType), $"{t.Name}: {t.Kind}/{t.DType}"));
        var qkv = Assert.Single(manifest.Tensors, t => t.Name == qkvWeight);
        Assert.Equal(weightDType, qkv.DType);
    }
}
