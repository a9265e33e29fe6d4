using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>Capacity and batch limits, misuse of rows, and packages that break the fused contract fail clearly.</summary>
public sealed class FusedBadInputFacts(FusedModelFixture model) : IClassFixture<FusedModelFixture>, IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("qwenvl-fused-").FullName;

    [Fact]
    public void Join_Throws_WhenThePromptExceedsTheRowCapacity()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, prompt.Ids.Length - 1, 512);

        var error = Assert.Throws<InvalidPromptException>(() => batch.Join(prompt, null));

        Assert.Contains("KvCapacityTokens", error.Message);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Step_Throws_WhenTheRowIsFull()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, prompt.Ids.Length + 2, 512);
        var row = batch.Join(prompt, null);
        FusedGolden.PrefillAll(batch, row, 512);
        batch.Step([(row, 11)]);
        batch.Step([(row, 12)]);

        var error = Assert.Throws<InvalidOperationException>(() => batch.Step([(row, 13)]));

        Assert.Contains("full", error.Message);
        Assert.Equal(prompt.Ids.Length + 2, row.Length);
    }

    [Fact]
    public void FromOptions_BoundsTheRowCapacityByTheContext_AndRejectsBadSizes()
    {
        using (var batch = KvPoolDecodeBatch.FromOptions(model.Sessions, new ModelLoadOptions { MaxBatchSize = 3, KvCapacityTokens = 100 }, 64))
            Assert.Equal((3, 64), (batch.MaxRows, batch.Capacity));
        using (var batch = KvPoolDecodeBatch.FromOptions(model.Sessions, new ModelLoadOptions(), 80))
            Assert.Equal((1, 80), (batch.MaxRows, batch.Capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => KvPoolDecodeBatch.FromOptions(model.Sessions, new ModelLoadOptions { PrefillChunkTokens = 0 }, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => KvPoolDecodeBatch.FromOptions(model.Sessions, new ModelLoadOptions { KvCapacityTokens = -1 }, 64));
    }

    [Fact]
    public void Constructor_Throws_WhenTheSessionsRunTheLegacyDecoder()
    {
        using var legacy = new ModelSessions(ModelPackage.Load(TestPaths.TinyModel),
            new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1, GraphFormat = GraphFormat.Legacy });

        var error = Assert.Throws<InvalidOperationException>(() => new KvPoolDecodeBatch(legacy, 1, 64, 512));

        Assert.Contains("legacy", error.Message);
    }

    [Fact]
    public void Join_Throws_WhenAllRowsAreHeld()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, 64, 512);
        batch.Join(prompt, null);

        Assert.Throws<InvalidOperationException>(() => batch.Join(prompt, null));
    }

    [Fact]
    public void Calls_Throw_ForARowOfAnotherBatchOrAnUnprefilledOrLeftRow()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 2, 64, 512);
        using var other = new KvPoolDecodeBatch(model.Sessions, 2, 64, 512);
        var row = batch.Join(prompt, null);
        var foreign = other.Join(prompt, null);

        Assert.Throws<InvalidOperationException>(() => batch.Step([(row, 1)]));
        Assert.Throws<ArgumentException>(() => batch.Prefill(foreign, 4));
        FusedGolden.PrefillAll(batch, row, 512);
        Assert.Throws<InvalidOperationException>(() => batch.Prefill(row, 4));
        Assert.Throws<ArgumentException>(() => batch.Step([(row, 1), (row, 2)]));
        batch.Leave(row);
        Assert.Throws<ArgumentException>(() => batch.Logits(row));
    }

    [Fact]
    public void Load_Throws_WhenTheFusedDecoderBreaksTheContract()
    {
        var package = CopyTinyPackage();
        // The legacy graph in the fused graph's place: attention_mask/position_ids inputs, no rope_cos.
        File.Copy(Path.Combine(package, "onnx", "decoder_model_merged.onnx"), Path.Combine(package, "onnx", "decoder_fused.onnx"), overwrite: true);

        var error = Assert.Throws<ModelPackageException>(() => new ModelSessions(ModelPackage.Load(package), new ModelLoadOptions()));

        Assert.Contains("decoder_fused.onnx inputs are", error.Message);
        Assert.Contains("rope_cos", error.Message);
    }

    [Fact]
    public void Load_Throws_WhenConfigDimensionsDisagreeWithTheFusedGraph()
    {
        var package = CopyTinyPackage();
        var configPath = Path.Combine(package, "config.json");
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"num_key_value_heads\": 1", "\"num_key_value_heads\": 2"));

        var error = Assert.Throws<ModelPackageException>(() => new ModelSessions(ModelPackage.Load(package),
            new ModelLoadOptions { GraphFormat = GraphFormat.Fused }));

        Assert.Contains("past_key.0", error.Message);
    }

    [Fact]
    public void Load_Throws_WhenFusedIsAskedOfALegacyOnlyPackage()
    {
        var package = CopyTinyPackage();
        File.Delete(Path.Combine(package, "onnx", "fused.json"));

        var error = Assert.Throws<ModelPackageException>(() => new ModelSessions(ModelPackage.Load(package),
            new ModelLoadOptions { GraphFormat = GraphFormat.Fused }));

        Assert.Contains("fused.json", error.Message);
    }

    [Fact]
    public void Load_Throws_WhenFusedJsonNamesAnotherFormat()
    {
        var package = CopyTinyPackage();
        File.WriteAllText(Path.Combine(package, "onnx", "fused.json"), """{"format": "qwenvl-fused", "version": 2}""");

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(package));

        Assert.Contains("version 2", error.Message);
    }

    private string CopyTinyPackage()
    {
        var target = Path.Combine(_temp, "pkg");
        foreach (var file in Directory.EnumerateFiles(TestPaths.TinyModel, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(TestPaths.TinyModel, file);
            if (relative.StartsWith("golden", StringComparison.Ordinal)) continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
