using System.Diagnostics;
using System.Text;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli.Bench;

/// <summary>The benchmark scenarios of `qwenvl bench`, each repeated and summarised as min / median.</summary>
internal sealed class BenchRunner(QwenVlModel model, int newTokens, int runs, TextWriter log)
{
    public const string DescribePrompt = "Describe this image.";
    public const string FollowUpPrompt = "What colors and shapes are in it? Answer in detail.";
    public const string TextPrompt = "Write a short story about a robot who learns to paint.";

    private GenerationOptions Options => GenerationOptions.Greedy(newTokens, minNewTokens: newTokens);

    public async Task WarmUpAsync(byte[] image, CancellationToken ct)
    {
        await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], GenerationOptions.Greedy(2, 2), ct);
    }

    public async Task<BenchRow> ImageAsync(string label, byte[] image, CancellationToken ct) =>
        BenchRow.Of(label, await RepeatAsync(() => [ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], ct));

    /// <summary>The second turn of a conversation: the first question, its answer, and a new question.</summary>
    public async Task<BenchRow> FollowUpAsync(string label, byte[] image, CancellationToken ct)
    {
        var first = await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], Options, ct);
        return BenchRow.Of(label, await RepeatAsync(() =>
        [
            ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image)),
            ChatMessage.Assistant(first.Text),
            ChatMessage.User(FollowUpPrompt),
        ], ct));
    }

    public async Task<BenchRow> TextAsync(CancellationToken ct) =>
        BenchRow.Of("text only", await RepeatAsync(() => [ChatMessage.User(TextPrompt)], ct));

    /// <summary>N requests (image + question) at once, all on the same loaded model.</summary>
    public async Task<ConcurrencyRow> ConcurrentAsync(int concurrency, byte[] image, CancellationToken ct)
    {
        var totals = new List<double>();
        var means = new List<double>();
        var maxes = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var wall = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ =>
                MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], Options, ct)));
            double seconds = wall.Elapsed.TotalSeconds;
            totals.Add(results.Sum(r => r.GeneratedTokens) / seconds);
            means.Add(results.Average(r => r.EndToEndSeconds));
            maxes.Add(results.Max(r => r.EndToEndSeconds));
            log.WriteLine($"  concurrency {concurrency} run {run + 1}: {totals[^1]:F2} tok/s total, mean latency {means[^1]:F2} s");
        }
        return new ConcurrencyRow(concurrency, runs, MinMedian.Of(totals), MinMedian.Of(means), MinMedian.Of(maxes));
    }

    private async Task<IReadOnlyList<BenchMeasurement>> RepeatAsync(Func<IReadOnlyList<ChatMessage>> conversation, CancellationToken ct)
    {
        var results = new List<BenchMeasurement>();
        for (int run = 0; run < runs; run++)
        {
            var m = await MeasureAsync(conversation(), Options, ct);
            log.WriteLine($"  run {run + 1}: prompt {m.PromptTokens} tok, vision {m.VisionMs:F0} ms, prefill {m.PrefillMs:F0} ms, TTFT {m.TtftMs:F0} ms, decode {m.DecodeTokensPerSecond:F2} tok/s, total {m.EndToEndSeconds:F2} s");
            results.Add(m);
        }
        return results;
    }

    private async Task<BenchMeasurement> MeasureAsync(IReadOnlyList<ChatMessage> messages, GenerationOptions options, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var text = new StringBuilder();
        GenerationEvent? last = null;
        await foreach (var e in model.GenerateAsync(messages, options, ct))
        {
            text.Append(e.TextDelta);
            last = e;
        }
        if (last?.FinishReason == FinishReason.Cancelled) throw new OperationCanceledException(ct);
        return BenchMeasurement.From(last!.Stats, wall.Elapsed.TotalSeconds, text.ToString());
    }
}
