using System.Text.Json.Nodes;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Package;

/// <summary>A broken package fails at load with a message that names the problem.</summary>
public sealed class ModelPackageFacts : IDisposable
{

    private readonly string _copy = Directory.CreateTempSubdirectory("qwenvl-package-").FullName;

    // These facts break the legacy decoder; the tiny package's default (fused.json) would load decoder_fused.
    private static readonly ModelLoadOptions LegacyGraphs = new() { GraphFormat = GraphFormat.Legacy };

    public ModelPackageFacts()
    {
        foreach (var file in Directory.EnumerateFiles(TestPaths.TinyModel, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(TestPaths.TinyModel, file);
            if (relative.StartsWith("golden", StringComparison.Ordinal)) continue;
            var target = Path.Combine(_copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void Load_ReadsEveryDimensionFromConfig_ForTheTinyPackage()
    {
        var config = ModelPackage.Load(TestPaths.TinyModel).Config;

        Assert.Equal(16, config.Text.HiddenSize);
        Assert.Equal(3, config.Text.NumLayers);
        Assert.Equal([2, 1, 1], config.Text.MropeSection);
        Assert.Equal([0, 1, 2], config.Vision.DeepstackVisualIndexes);
        Assert.Equal(1536, config.Vision.PatchRowLength);
        Assert.Equal(48, config.Vision.PositionGridSide);
        Assert.Equal([151645, 151643], config.Tokens.Eos);
        Assert.Equal(151655, config.Tokens.ImagePad);
    }

    [Fact]
    public void Load_NamesTheMissingFile_WhenAGraphIsAbsent()
    {
        File.Delete(Path.Combine(_copy, "onnx", "embed_tokens.onnx"));

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_copy));

        Assert.Contains("embed_tokens.onnx", e.Message);
    }

    [Fact]
    public void Load_ExplainsTheInconsistency_WhenConfigDisagreesWithItself()
    {
        var path = Path.Combine(_copy, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["text_config"]!["rope_parameters"]!["mrope_section"] = new JsonArray(2, 2, 2);
        config["vision_config"]!["deepstack_visual_indexes"] = new JsonArray(0, 1, 7);
        File.WriteAllText(path, config.ToJsonString());

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_copy));

        Assert.Contains("mrope_section", e.Message);
        Assert.Contains("deepstack_visual_indexes", e.Message);
    }

    [Fact]
    public void Load_NamesTheKey_WhenConfigLacksOne()
    {
        var path = Path.Combine(_copy, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["text_config"]!.AsObject().Remove("head_dim");
        File.WriteAllText(path, config.ToJsonString());

        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_copy));

        Assert.Contains("text_config.head_dim", e.Message);
    }

    [Fact]
    public void ModelLoad_RejectsGraphBreakingTheContract_WhenDecoderIsReplacedByEmbedGraph()
    {
        File.Copy(Path.Combine(_copy, "onnx", "embed_tokens.onnx"), Path.Combine(_copy, "onnx", "decoder_model_merged.onnx"), overwrite: true);

        var e = Assert.Throws<ModelPackageException>(() => QwenVlModel.Load(_copy, LegacyGraphs));

        Assert.Contains("decoder_model_merged.onnx inputs are [input_ids]", e.Message);
    }

    [Fact]
    public void ModelLoad_RejectsGraph_WhenLayerCountInConfigDiffersFromGraph()
    {
        var path = Path.Combine(_copy, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["text_config"]!["num_hidden_layers"] = 4;
        File.WriteAllText(path, config.ToJsonString());

        var e = Assert.Throws<ModelPackageException>(() => QwenVlModel.Load(_copy, LegacyGraphs));

        Assert.Contains("past_key_values.3.key", e.Message);
    }

    [Fact]
    public void Load_AsksForMakeWeights_WhenManifestPackageHasNoWeights()
    {
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-2b-shape")));

        Assert.Contains("qwenvl make-weights", e.Message);
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
