using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli.Bench;

/// <summary>One timed generation.</summary>
internal sealed record BenchMeasurement(double VisionMs, double PrefillMs, double TtftMs, double DecodeTokensPerSecond, double EndToEndSeconds,
    int PromptTokens, int GeneratedTokens, string Text, int ReusedPromptTokens = 0, int CachedImages = 0, double MaxTokenGapMs = 0)
{
    /// <param name="maxTokenGapMs">The longest wait between two consecutive tokens of this answer, as its user saw it.</param>
    public static BenchMeasurement From(GenerationStats stats, double endToEndSeconds, string text, double maxTokenGapMs = 0) => new(
        stats.VisionMs, stats.PrefillMs, stats.TimeToFirstTokenMs, stats.DecodeTokensPerSecond, endToEndSeconds,
        stats.PromptTokens, stats.GeneratedTokens, text, stats.ReusedPromptTokens, stats.CachedImages, maxTokenGapMs);
}

/// <summary>Min and median of a metric over repeated runs.</summary>
internal sealed record MinMedian(double Min, double Median)
{
    public static MinMedian Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new(0, 0);
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new(sorted[0], median);
    }
}

/// <summary>A scenario's summary row: each metric's min and median over its runs.</summary>
internal sealed record BenchRow(string Scenario, int Runs, int PromptTokens, int GeneratedTokens,
    MinMedian VisionMs, MinMedian PrefillMs, MinMedian TtftMs, MinMedian DecodeTokensPerSecond, MinMedian EndToEndSeconds,
    int ReusedPromptTokens = 0, int CachedImages = 0)
{
    /// <summary>Prompt tokens served by the KV prefix cache and images by the vision cache, as in the first run.</summary>
    public static BenchRow Of(string scenario, IReadOnlyList<BenchMeasurement> runs) => new(
        scenario, runs.Count, runs[0].PromptTokens, runs[0].GeneratedTokens,
        MinMedian.Of(runs.Select(r => r.VisionMs)), MinMedian.Of(runs.Select(r => r.PrefillMs)),
        MinMedian.Of(runs.Select(r => r.TtftMs)), MinMedian.Of(runs.Select(r => r.DecodeTokensPerSecond)),
        MinMedian.Of(runs.Select(r => r.EndToEndSeconds)), runs[0].ReusedPromptTokens, runs[0].CachedImages);
}

/// <summary>N requests started together: aggregate throughput, per-request latency and the mean decoder batch.</summary>
internal sealed record ConcurrencyRow(string Kind, int Concurrency, int Runs, MinMedian TotalTokensPerSecond, MinMedian MeanLatencySeconds,
    MinMedian MaxLatencySeconds, double MeanBatchSize);
