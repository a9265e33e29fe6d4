using QwenVlStudio.Inference.Package;
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

    [Fact]
    public void PackageManifests_OfFusedPackage_IncludeTheFusedVisionGraph()
    {
        var manifests = PackageWeights.Manifests(Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-2b-fused-int8"));

        Assert.Contains(manifests, m => m.Graph == "vision_fused.onnx");
        Assert.DoesNotContain(manifests, m => m.Graph == "vision_encoder.onnx");
    }

    [Fact]
    public void PackageManifests_Throw_WhenFusedPackageHasNoManifest()
    {
        var dir = Directory.CreateTempSubdirectory("qwenvl-fused-manifests-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "onnx"));
            File.WriteAllText(Path.Combine(dir, "onnx", "fused.json"), """{"format": "qwenvl-fused", "version": 1}""");

            var error = Assert.Throws<ModelPackageException>(() => PackageWeights.Manifests(dir));

            Assert.Contains("has no graphs in onnx/", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
