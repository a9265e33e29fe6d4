using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>The fused decoder on its preallocated KV reproduces every golden case (ids exactly, logits within 1e-3).</summary>
public class FusedGoldenParityFacts(FusedModelFixture model, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FusedModelFixture>
{
    private const float LogitTolerance = 1e-3f;

    [Theory]
    [MemberData(nameof(CasesAndChunks))]
    public void GreedyDecode_ReproducesGoldenIdsAndLogits_ForEveryPrefillChunkSize(string name, int chunk)
    {
        var golden = GoldenCase.Load(name);
        var config = model.Package.Config;
        var prompt = FusedGolden.Prompt(golden, model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, maxRows: 2, capacityTokens: prompt.Ids.Length + FusedGolden.Steps, chunk);

        var (ids, logits) = FusedGolden.DecodeAlone(batch, prompt, config, chunk);

        var expected = golden.Npy("logits_first3.npy").AsFloat32();
        int vocab = config.Text.VocabSize;
        for (int step = 0; step < 3; step++)
        {
            float diff = FusedGolden.MaxAbsDiff(expected.AsSpan(step * vocab, vocab), logits[step]);
            output.WriteLine($"{name} chunk {chunk} step {step}: max abs logit diff vs PyTorch {diff:E2}");
            Assert.True(diff <= LogitTolerance, $"step {step}: max abs logit diff {diff} > {LogitTolerance}");
        }
        Assert.Equal(golden.GeneratedIds, ids);
        Assert.Equal(0, batch.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prefill_TakesOneCallPerChunk(string name)
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load(name), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, prompt.Ids.Length + 1, prefillChunkTokens: 7);
        var row = batch.Join(prompt, null);

        int calls = FusedGolden.PrefillAll(batch, row, 1000);

        Assert.Equal((prompt.Ids.Length + 6) / 7, calls);
        Assert.Equal(prompt.Ids.Length, row.Length);
        Assert.True(row.IsPrefilled);
    }

    public static TheoryData<string, int> CasesAndChunks()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in TestPaths.GoldenCaseNames)
            foreach (var chunk in new[] { 1, 7, 512 })
                data.Add(name, chunk);
        return data;
    }

    public static TheoryData<string> Cases() => GoldenCase.All();
}
