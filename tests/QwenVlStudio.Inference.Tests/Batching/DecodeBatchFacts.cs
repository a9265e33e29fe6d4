using System.Diagnostics;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Onnx;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Batching;

/// <summary>
/// Sequences decoded together in one left-padded batch give, row by row, the logits and greedy ids of each
/// sequence decoded alone — also while rows join and leave between steps.
/// </summary>
public class DecodeBatchFacts(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private const int Tokens = 16;
    private const float LogitTolerance = 1e-4f;
    private static readonly GenerationOptions GoldenOptions = GenerationOptions.Greedy(Tokens, minNewTokens: Tokens);

    [Fact]
    public void Step_GivesEachRowItsAloneLogits_WhenFourGoldenCasesJoinAtDifferentSteps()
    {
        string[] names = ["case1_image_describe", "case2_tall_ocr_zh", "case4_text_only", "case5_two_images"];
        int[] joinAtStep = [0, 0, 3, 7]; // batch steps run before each case joins
        var prompts = names.Select(n => GoldenPrompts.Load(model.Sessions, GoldenCase.Load(n))).ToArray();
        var alone = prompts.Select(DecodeAlone).ToArray();

        var members = prompts.Select((p, i) => Member(p, i)).ToArray();
        var logits = members.Select(_ => new List<float[]>()).ToArray();
        using var batch = new DecodeBatch(model.Sessions);
        int joined = 0;
        for (int step = 0; joined < members.Length || batch.Count > 0; step++)
        {
            while (joined < members.Length && joinAtStep[joined] <= step)
            {
                Join(batch, members[joined], logits[joined]);
                joined++;
            }
            if (batch.Count == 0) continue;
            batch.Step();
            for (int row = 0; row < batch.Count; row++)
            {
                int index = Array.IndexOf(members, batch.Rows[row]);
                logits[index].Add(batch.Logits(row).ToArray());
                members[index].Answer.Pick(batch.Logits(row), Stopwatch.GetTimestamp());
            }
            batch.Reshape(batch.Rows.Where(m => !m.Answer.WantsToken).ToList());
        }

        for (int i = 0; i < members.Length; i++)
        {
            Assert.Equal(GoldenCase.Load(names[i]).GeneratedIds, alone[i].Ids);
            Assert.Equal(alone[i].Ids, members[i].Ids[prompts[i].Ids.Length..].ToArray().Append(members[i].Answer.LastToken));
            Assert.Equal(Tokens, logits[i].Count);
            for (int step = 0; step < Tokens; step++)
                GoldenParityFacts.AssertClose(alone[i].Logits[step], logits[i][step], LogitTolerance);
        }
    }

    [Fact]
    public void CopyRow_ReturnsRowWithoutPadding_EqualToTheSequencesOwnCache()
    {
        var shortPrompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case4_text_only"));
        var longPrompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case3_tiny_two_turn"));
        using var batch = new DecodeBatch(model.Sessions);
        var shortMember = Member(shortPrompt, 0);
        var longMember = Member(longPrompt, 1);
        Join(batch, longMember, []);
        using var expected = Prefill(shortPrompt, out _);
        Join(batch, shortMember, []);

        using var row = batch.CopyRow(shortMember);

        Assert.Equal(longPrompt.Ids.Length, batch.Width);
        Assert.Equal(shortPrompt.Ids.Length, row.Length);
        for (int t = 0; t < row.Values.Count; t++)
            Assert.Equal(expected.Values[t].GetTensorDataAsSpan<float>().ToArray(), row.Values[t].GetTensorDataAsSpan<float>().ToArray());
    }

    /// <summary>Prefills alone, picks the first token from the prefill logits, and joins the batch as the loop does.</summary>
    private void Join(DecodeBatch batch, BatchMember member, List<float[]> logits)
    {
        var cache = Prefill(member.Request.Prompt, out var prefillLogits);
        member.Prefilled();
        logits.Add(prefillLogits.ToArray());
        member.Answer.Pick(prefillLogits, Stopwatch.GetTimestamp());
        batch.Reshape([], member, cache);
    }

    private QwenVlStudio.Inference.Onnx.KvCache Prefill(PreparedPrompt prompt, out float[] logits)
    {
        using var sequence = new SequenceState(model.Sessions, prompt.Ids.Length);
        sequence.Prefill(prompt.Ids, prompt.Images, prompt.Positions);
        logits = sequence.Logits.ToArray();
        return sequence.DetachCache();
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

    private BatchMember Member(PreparedPrompt prompt, int arrival)
    {
        var request = new SequenceRequest(prompt, GoldenOptions, new GoldenPrompts.NoText(), RequestContext.Default, Stopwatch.GetTimestamp());
        return new BatchMember(request, new AnswerTracker(request, model.Package.Config.Tokens.Eos, 4096), arrival, CancellationToken.None);
    }
}
