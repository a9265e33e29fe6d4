using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>A row joined with a reused KV prefix prefills only the rest and still gives the golden ids and logits.</summary>
public class FusedPrefixFacts(FusedModelFixture model, TinyModelFixture legacy) : IClassFixture<FusedModelFixture>, IClassFixture<TinyModelFixture>
{
    private const float LogitTolerance = 1e-3f;

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrefixCopiedFromAFusedRow_GivesGoldenIdsAndLogits(string name)
    {
        var golden = GoldenCase.Load(name);
        var config = model.Package.Config;
        var prompt = FusedGolden.Prompt(golden, model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 2, prompt.Ids.Length + FusedGolden.Steps, 512);
        var first = batch.Join(prompt, null);
        FusedGolden.PrefillAll(batch, first, 512);
        using var full = batch.CopyKv(first);
        batch.Leave(first);
        Assert.Equal(prompt.Ids.Length, full.Length);

        int reused = prompt.Ids.Length - 5;
        var (ids, logits) = FusedGolden.DecodeAlone(batch, prompt, config, chunk: 2, prefix: full.CopyPrefix(reused));

        AssertGolden(golden, ids, logits);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrefixFromTheLegacyDecoder_GivesGoldenIds(string name)
    {
        // Keys after k_norm + RoPE and values after v_proj in both formats: KV positions move between them.
        var golden = GoldenCase.Load(name);
        var config = model.Package.Config;
        var prompt = FusedGolden.Prompt(golden, model.Sessions);
        using var sequence = new SequenceState(legacy.Sessions, prompt.Ids.Length + 1);
        sequence.Prefill(prompt.Ids, prompt.Images, prompt.Positions);
        using var legacyCache = sequence.DetachCache();
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, prompt.Ids.Length + FusedGolden.Steps, 512);

        var (ids, logits) = FusedGolden.DecodeAlone(batch, prompt, config, prefix: legacyCache.CopyPrefix(prompt.Ids.Length / 2));

        AssertGolden(golden, ids, logits);
    }

    [Fact]
    public void CopyKv_ReturnsTheRowsPositionsInTheLegacyShape()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, 64, 512);
        var row = batch.Join(prompt, null);
        FusedGolden.PrefillAll(batch, row, 512);

        using var kv = batch.CopyKv(row);

        var text = model.Package.Config.Text;
        Assert.Equal(2 * text.NumLayers, kv.Values.Count);
        Assert.All(kv.Values, v => Assert.Equal([1L, text.NumKeyValueHeads, prompt.Ids.Length, text.HeadDim], v.GetTensorTypeAndShape().Shape));
        Assert.Contains(kv.Values, v => v.GetTensorDataAsSpan<float>().ToArray().Any(x => x != 0));
    }

    [Fact]
    public void Join_Throws_WhenThePrefixCoversTheWholePrompt()
    {
        var prompt = FusedGolden.Prompt(GoldenCase.Load("case4_text_only"), model.Sessions);
        using var batch = new KvPoolDecodeBatch(model.Sessions, 1, 64, 512);
        var row = batch.Join(prompt, null);
        FusedGolden.PrefillAll(batch, row, 512);
        var whole = batch.CopyKv(row);
        batch.Leave(row);

        var error = Assert.Throws<ArgumentException>(() => batch.Join(prompt, whole));

        Assert.Contains("nothing", error.Message);
        Assert.Equal(0, batch.Count);
    }

    private void AssertGolden(GoldenCase golden, List<int> ids, List<float[]> logits)
    {
        int vocab = model.Package.Config.Text.VocabSize;
        var expected = golden.Npy("logits_first3.npy").AsFloat32();
        for (int step = 0; step < 3; step++)
        {
            float diff = FusedGolden.MaxAbsDiff(expected.AsSpan(step * vocab, vocab), logits[step]);
            Assert.True(diff <= LogitTolerance, $"step {step}: max abs logit diff {diff} > {LogitTolerance}");
        }
        Assert.Equal(golden.GeneratedIds, ids);
    }

    public static TheoryData<string> Cases() => GoldenCase.All();
}
