using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Onnx;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Batching;

/// <summary>
/// The legacy <see cref="IDecodeBatch"/>: prompts prefilled in chunks and rows decoded together (left-padded,
/// regrouped as rows join, leave or are fed in smaller sets) give, row by row, the logits and greedy ids of each
/// sequence prefilled at once and decoded alone.
/// </summary>
public class LegacyDecodeBatchFacts(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private const int Tokens = 16;
    private const float LogitTolerance = 1e-4f;
    private static readonly string[] Names = ["case1_image_describe", "case2_tall_ocr_zh", "case4_text_only", "case5_two_images"];

    [Theory]
    [InlineData(4, 1_000_000)] // all rows in one decoder call, each prompt in one chunk
    [InlineData(4, 7)] // chunked prefill: image runs split across chunks
    [InlineData(2, 64)] // two decoder calls per step: rows regroup whenever the fed sets change
    [InlineData(1, 64)] // every row alone: the batch of one
    public void Step_GivesEachRowItsAloneLogits_WhenFourGoldenCasesJoinAtDifferentSteps(int perCall, int chunk)
    {
        int[] joinAtStep = [0, 0, 3, 7];
        var prompts = Names.Select(n => GoldenPrompts.Load(model.Sessions, GoldenCase.Load(n))).ToArray();
        var alone = prompts.Select(DecodeAlone).ToArray();
        var ids = prompts.Select(_ => new List<int>()).ToArray();
        var logits = prompts.Select(_ => new List<float[]>()).ToArray();
        var rows = new DecodeRow?[prompts.Length];
        using var batch = new LegacyDecodeBatch(model.Sessions, maxRows: 4, contextLength: 4096);

        int joined = 0;
        for (int step = 0; joined < prompts.Length || batch.Count > 0; step++)
        {
            while (joined < prompts.Length && joinAtStep[joined] <= step)
            {
                var row = batch.Join(prompts[joined], prefix: null);
                while (!batch.Prefill(row, chunk)) { }
                Take(joined, batch.Logits(row));
                rows[joined++] = row;
            }
            var decoding = Enumerable.Range(0, prompts.Length).Where(i => rows[i] is not null).ToList();
            foreach (var group in decoding.Chunk(perCall))
            {
                batch.Step(group.Select(i => (rows[i]!, ids[i][^1])).ToList());
                foreach (int i in group) Take(i, batch.Logits(rows[i]!));
            }
            foreach (int i in decoding.Where(i => ids[i].Count == Tokens))
            {
                batch.Leave(rows[i]!);
                rows[i] = null;
            }
        }

        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(GoldenCase.Load(Names[i]).GeneratedIds, alone[i].Ids);
            Assert.Equal(alone[i].Ids, ids[i]);
            for (int step = 0; step < Tokens; step++)
                GoldenParityFacts.AssertClose(alone[i].Logits[step], logits[i][step], LogitTolerance);
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.KvBytes);

        void Take(int i, Span<float> rowLogits)
        {
            logits[i].Add(rowLogits.ToArray());
            foreach (var eos in model.Package.Config.Tokens.Eos) rowLogits[eos] = float.NegativeInfinity;
            ids[i].Add(TokenSampler.ArgMax(rowLogits));
        }
    }

    [Fact]
    public void CopyKv_ReturnsRowWithoutPadding_EqualToTheSequencesOwnCache()
    {
        var shortPrompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case4_text_only"));
        var longPrompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case3_tiny_two_turn"));
        using var batch = new LegacyDecodeBatch(model.Sessions, maxRows: 2, contextLength: 4096);
        var longRow = batch.Join(longPrompt, prefix: null);
        var shortRow = batch.Join(shortPrompt, prefix: null);
        Assert.True(batch.Prefill(longRow, 1000));
        Assert.True(batch.Prefill(shortRow, 1000));
        batch.Step([(longRow, 11), (shortRow, 12)]); // one padded group of both

        using var sequence = new SequenceState(model.Sessions, shortPrompt.Ids.Length + 1);
        sequence.Prefill(shortPrompt.Ids, shortPrompt.Images, shortPrompt.Positions);
        sequence.Step(12);
        using var expected = sequence.DetachCache();
        using var row = batch.CopyKv(shortRow);

        Assert.Equal(shortPrompt.Ids.Length + 1, row.Length);
        for (int t = 0; t < row.Values.Count; t++)
            GoldenParityFacts.AssertClose(expected.Values[t].GetTensorDataAsSpan<float>().ToArray(), row.Values[t].GetTensorDataAsSpan<float>().ToArray(), LogitTolerance);
    }

    [Fact]
    public void JoinStepAndPrefill_RefuseMisuse_WithClearErrors()
    {
        var prompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case4_text_only"));
        using var batch = new LegacyDecodeBatch(model.Sessions, maxRows: 1, contextLength: 4096);
        var row = batch.Join(prompt, prefix: null);

        Assert.Throws<InvalidOperationException>(() => batch.Join(prompt, prefix: null));
        Assert.Throws<InvalidOperationException>(() => batch.Step([(row, 1)]));
        Assert.True(batch.Prefill(row, 1000));
        Assert.Throws<InvalidOperationException>(() => batch.Prefill(row, 1));
        batch.Leave(row);
        Assert.Throws<ArgumentException>(() => batch.Logits(row).ToArray());
    }

    private (List<int> Ids, List<float[]> Logits) DecodeAlone(PreparedPrompt prompt)
    {
        using var sequence = new SequenceState(model.Sessions, prompt.Ids.Length + Tokens);
        sequence.Prefill(prompt.Ids, prompt.Images, prompt.Positions);
        var ids = new List<int>();
        var logits = new List<float[]>();
        for (int step = 0; step < Tokens; step++)
        {
            logits.Add(sequence.Logits.ToArray());
            foreach (var eos in model.Package.Config.Tokens.Eos) sequence.Logits[eos] = float.NegativeInfinity;
            ids.Add(TokenSampler.ArgMax(sequence.Logits));
            if (step < Tokens - 1) sequence.Step(ids[^1]);
        }
        return (ids, logits);
    }
}
