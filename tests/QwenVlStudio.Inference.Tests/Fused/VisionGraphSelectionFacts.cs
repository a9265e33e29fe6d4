using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>Which vision graph a package loads, and what happens when the fused one breaks the §4 contract.</summary>
public sealed class VisionGraphSelectionFacts : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qwenvl-vision-fused-").FullName;

    [Fact]
    public void VisionGraphName_IsLegacy_WhenPackageHasNoFusedMarker()
    {
        var package = ModelPackage.Load(CopyTinyPackage());

        Assert.Equal(ModelPackage.VisionGraph, package.VisionGraphFor(GraphFormat.Auto));
    }

    [Fact]
    public void VisionEncoder_LoadsFusedGraph_WhenPackageHasFusedMarker()
    {
        var dir = CopyTinyPackage();
        File.WriteAllText(Path.Combine(dir, "onnx", "fused.json"), """{"format": "qwenvl-fused", "version": 1}""");
        // Break the legacy graph: if the engine still opened vision_encoder.onnx, loading would fail.
        File.WriteAllBytes(Path.Combine(dir, "onnx", "vision_encoder.onnx"), [1, 2, 3]);
        var package = ModelPackage.Load(dir);

        using var encoder = new VisionEncoder(package, 1, false, package.VisionGraphFor(GraphFormat.Auto));

        Assert.Equal(ModelPackage.FusedVisionGraph, package.VisionGraphFor(GraphFormat.Auto));
        var positions = VisionPositions.Compute(2, 2, package.Config.Vision.SpatialMergeSize, package.Config.Vision.NumPositionEmbeddings);
        var features = encoder.Encode(new float[4 * package.Config.Vision.PatchRowLength], 4, positions.PosEmbedIdx, positions.PosEmbedWeight, positions.RotaryPosIds);
        Assert.Equal(package.Config.Text.HiddenSize, features.ImageFeatures.Length);
    }

    [Fact]
    public void VisionEncoder_ThrowsNamingTheContract_WhenFusedGraphHasWrongInputs()
    {
        var dir = CopyTinyPackage();
        File.WriteAllText(Path.Combine(dir, "onnx", "fused.json"), """{"format": "qwenvl-fused", "version": 1}""");
        // A valid ONNX graph with the wrong signature (x → y): the quantized-linear test fixture.
        File.Copy(Path.Combine(TestPaths.RepoRoot, "tests", "QwenVlStudio.Inference.Tests", "Fused", "VisionLinearData", "linear_fp32.onnx"),
            Path.Combine(dir, "onnx", "vision_fused.onnx"), overwrite: true);
        var package = ModelPackage.Load(dir);

        var error = Assert.Throws<ModelPackageException>(() => new VisionEncoder(package, 1, false, package.VisionGraphFor(GraphFormat.Auto)));

        Assert.Contains("vision_fused.onnx inputs are [x]", error.Message);
        Assert.Contains("pixel_values", error.Message);
    }

    [Fact]
    public void FusedPackageWithoutFusedVision_LoadsTheLegacyVisionGraph()
    {
        var dir = CopyTinyPackage();
        File.WriteAllText(Path.Combine(dir, "onnx", "fused.json"), """{"format": "qwenvl-fused", "version": 1}""");
        File.Delete(Path.Combine(dir, "onnx", "vision_fused.onnx"));
        var package = ModelPackage.Load(dir);

        Assert.Equal(ModelPackage.VisionGraph, package.VisionGraphFor(GraphFormat.Auto));
    }

    /// <summary>The tiny package's files without golden/ (links for the large graphs keep the copy cheap).</summary>
    private string CopyTinyPackage()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateDirectory(Path.Combine(dir, "onnx"));
        foreach (var file in new[] { "config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json" })
            File.Copy(Path.Combine(TestPaths.TinyModel, file), Path.Combine(dir, file));
        foreach (var graph in Directory.GetFiles(Path.Combine(TestPaths.TinyModel, "onnx"), "*.onnx"))
            File.Copy(graph, Path.Combine(dir, "onnx", Path.GetFileName(graph)));
        return dir;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
