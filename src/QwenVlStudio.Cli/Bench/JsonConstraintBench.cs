using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// The `json` scenario: answers each <see cref="JsonBenchSchemas"/> schema with sampling (one seed per run, a fresh
/// compiled constraint per schema, so the first run meets an empty mask cache) and reads the time each token's
/// mask took from the streamed stats; then the same prompt unconstrained, whose mask time must be zero.
/// </summary>
internal sealed class JsonConstraintBench(QwenVlModel model, int runs, TextWriter log)
{
    private const string Prompt = "Describe the picture as JSON.";
    private const int MaxTokens = 200;

    public async Task<IReadOnlyList<JsonBenchRow>> RunAsync(CancellationToken ct)
    {
        var rows = new List<JsonBenchRow>();
        var all = new List<double>();
        foreach (var (name, schema) in JsonBenchSchemas.ByKeyword)
        {
            var constraint = JsonConstraint.FromSchema(schema);
            var perToken = new List<double>();
            var firstRun = new List<double>();
            var decode = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                var options = new GenerationOptions { MaxNewTokens = MaxTokens, DoSample = true, Seed = run, Constraint = constraint };
                var (masks, tokensPerSecond) = await AnswerAsync(options, ct);
                (run == 0 ? firstRun : perToken).AddRange(masks);
                decode.Add(tokensPerSecond);
            }
            all.AddRange(perToken);
            var row = new JsonBenchRow(name, runs, firstRun.Count + perToken.Count, Percentile(firstRun, 0.5), Percentile(perToken, 0.5),
                Percentile(perToken, 0.9), perToken.Concat(firstRun).DefaultIfEmpty(0).Max(), MinMedian.Of(decode));
            log.WriteLine($"  {name}: {row.Tokens} tokens, mask median {row.ColdMedianMs:F3} ms first run, {row.WarmMedianMs:F3} ms after (p90 {row.WarmP90Ms:F3}, max {row.MaxMs:F1})");
            rows.Add(row);
        }
        var plainDecode = new List<double>();
        double plainMaskMs = 0;
        for (int run = 0; run < runs; run++)
        {
            var (masks, tokensPerSecond) = await AnswerAsync(new GenerationOptions { MaxNewTokens = MaxTokens, DoSample = true, Seed = run }, ct);
            plainMaskMs += masks.Sum();
            plainDecode.Add(tokensPerSecond);
        }
        rows.Add(new JsonBenchRow("all schemas", runs, all.Count, 0, Percentile(all, 0.5), Percentile(all, 0.9), rows.Max(r => r.MaxMs), MinMedian.Of([])));
        rows.Add(new JsonBenchRow("unconstrained (same prompt)", runs, 0, plainMaskMs, plainMaskMs, plainMaskMs, plainMaskMs, MinMedian.Of(plainDecode)));
        return rows;
    }

    /// <summary>Each token's mask time (the step-to-step growth of the cumulative figure) and the decode rate.</summary>
    private async Task<(List<double> MaskMs, double TokensPerSecond)> AnswerAsync(GenerationOptions options, CancellationToken ct)
    {
        var masks = new List<double>();
        double previous = 0;
        GenerationEvent? last = null;
        await foreach (var e in model.GenerateAsync([ChatMessage.User(Prompt)], options, ct))
        {
            if (e.TokenId is not null || e.FinishReason is null)
            {
                masks.Add(e.Stats.ConstraintMs - previous);
                previous = e.Stats.ConstraintMs;
            }
            last = e;
        }
        if (last?.FinishReason == FinishReason.Cancelled) throw new OperationCanceledException(ct);
        // The end-of-sequence pick has no event of its own: its mask time is in the final stats.
        if (last!.Stats.ConstraintMs > previous) masks.Add(last.Stats.ConstraintMs - previous);
        return (options.Constraint is null ? [last.Stats.ConstraintMs] : masks, last.Stats.DecodeTokensPerSecond);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}

/// <summary>Mask time per token for one schema: median on the first (cold-cache) run and on later runs, p90 and max.</summary>
internal sealed record JsonBenchRow(string Schema, int Runs, int Tokens, double ColdMedianMs, double WarmMedianMs, double WarmP90Ms, double MaxMs,
    MinMedian DecodeTokensPerSecond);
