using System.Diagnostics;
using System.Text;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// The benchmark scenarios of `qwenvl bench`, each repeated and summarised as min / median. Every request goes
/// through <see cref="QwenVlModel.GenerateAsync(IReadOnlyList{ChatMessage}, GenerationOptions, RequestContext, CancellationToken)"/>,
/// the path chat and the API use, so caches and batching act as they do in the server.
/// </summary>
internal sealed class BenchRunner(QwenVlModel model, int newTokens, int runs, TextWriter log)
{
    public const string DescribePrompt = "Describe this image.";
    public const string FollowUpPrompt = "What colors and shapes are in it? Answer in detail.";
    public const string OtherQuestion = "Is there any text in the picture? Quote it.";
    public const string OtherSystemPrompt = "You are a careful assistant who answers precisely.";
    public const string TextPrompt = "Write a short story about a robot who learns to paint.";

    private GenerationOptions Options => GenerationOptions.Greedy(newTokens, minNewTokens: newTokens);

    public async Task WarmUpAsync(byte[] image, CancellationToken ct)
    {
        await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], GenerationOptions.Greedy(2, 2), null, ct);
        ClearCaches();
    }

    /// <summary>A first question about an image, with empty caches: vision encoder and full prefill.</summary>
    public async Task<BenchRow> ImageAsync(string label, byte[] image, CancellationToken ct) =>
        BenchRow.Of(label, await RepeatAsync(async () =>
        {
            ClearCaches();
            return await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], Options, null, ct);
        }, ct));

    /// <summary>
    /// A conversation as a user has it, with empty caches at the start of each run: the first question about the
    /// image; the follow-up (first question, its answer, a new question: KV reuse and the vision cache); then the
    /// same image in a new conversation with another system prompt (vision cache only).
    /// </summary>
    public async Task<IReadOnlyList<BenchRow>> FollowUpAsync(string label, byte[] image, CancellationToken ct)
    {
        var firsts = new List<BenchMeasurement>();
        var followUps = new List<BenchMeasurement>();
        var newConversations = new List<BenchMeasurement>();
        for (int run = 0; run < runs; run++)
        {
            ClearCaches();
            var first = await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image))], Options, "bench-user", ct);
            Log($"run {run + 1} first turn", first);
            var followUp = await MeasureAsync(
            [
                ChatMessage.User(DescribePrompt, ImageContent.FromBytes(image)),
                ChatMessage.Assistant(first.Text),
                ChatMessage.User(FollowUpPrompt),
            ], Options, "bench-user", ct);
            Log($"run {run + 1} follow-up", followUp);
            var other = await MeasureAsync(
                [ChatMessage.System(OtherSystemPrompt), ChatMessage.User(OtherQuestion, ImageContent.FromBytes(image))], Options, "bench-user", ct); // caches are per owner
            Log($"run {run + 1} same image, new conversation", other);
            firsts.Add(first);
            followUps.Add(followUp);
            newConversations.Add(other);
        }
        return
        [
            BenchRow.Of($"first turn, image {label}", firsts),
            BenchRow.Of($"follow-up, image {label}", followUps),
            BenchRow.Of($"same image, new conversation {label}", newConversations),
        ];
    }

    public async Task<BenchRow> TextAsync(CancellationToken ct) =>
        BenchRow.Of("text only", await RepeatAsync(async () =>
        {
            ClearCaches();
            return await MeasureAsync([ChatMessage.User(TextPrompt)], Options, null, ct);
        }, ct));

    /// <summary>
    /// N different chats at once (each its own picture, or its own text question), caches emptied before each run
    /// so no request rides on another's work: aggregate tokens/s, per-request latency and the mean decoder batch.
    /// </summary>
    public async Task<ConcurrencyRow> ConcurrentAsync(int concurrency, int width, int height, bool withImages, CancellationToken ct)
    {
        var pictures = Enumerable.Range(0, concurrency).Select(i => BenchImages.Png(width, height, variant: i + 1)).ToList();
        var totals = new List<double>();
        var means = new List<double>();
        var maxes = new List<double>();
        var batchBefore = model.BatchCounters;
        for (int run = 0; run < runs; run++)
        {
            ClearCaches();
            var wall = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i =>
            {
                IReadOnlyList<ChatMessage> messages = withImages
                    ? [ChatMessage.User(DescribePrompt, ImageContent.FromBytes(pictures[i]))]
                    : [ChatMessage.User($"{TextPrompt} Call the robot Unit {i + 1}.")];
                return MeasureAsync(messages, Options, $"user-{i}", ct);
            }));
            double seconds = wall.Elapsed.TotalSeconds;
            totals.Add(results.Sum(r => r.GeneratedTokens) / seconds);
            means.Add(results.Average(r => r.EndToEndSeconds));
            maxes.Add(results.Max(r => r.EndToEndSeconds));
            log.WriteLine($"  {(withImages ? "image" : "text")} chats × {concurrency} run {run + 1}: {totals[^1]:F2} tok/s total, mean latency {means[^1]:F2} s, max {maxes[^1]:F2} s, worst inter-token gap {results.Max(r => r.MaxTokenGapMs):F0} ms");
        }
        var batchAfter = model.BatchCounters;
        double meanBatch = batchAfter.MeanBatchSizeSince(batchBefore);
        if (batchAfter.Reshapes > batchBefore.Reshapes)
            log.WriteLine($"  rows joining/leaving the batch: {batchAfter.Reshapes - batchBefore.Reshapes} KV copies, {batchAfter.ReshapeMs - batchBefore.ReshapeMs:F0} ms in all");
        return new ConcurrencyRow(withImages ? $"image {width}×{height} chats" : "text chats", concurrency, runs,
            MinMedian.Of(totals), MinMedian.Of(means), MinMedian.Of(maxes), meanBatch);
    }

    /// <summary>
    /// <paramref name="running"/> text chats decode; once each has a few tokens, a newcomer asks about a new image
    /// of <paramref name="width"/>×<paramref name="height"/>. Prints the worst gap between two tokens the running chats
    /// saw (the newcomer's vision runs off the loop and its prefill goes in chunks, so this should stay near one
    /// decode step plus one prefill chunk) and the newcomer's time to first token.
    /// </summary>
    public async Task ArrivalAsync(int running, int width, int height, CancellationToken ct)
    {
        for (int run = 0; run < runs; run++)
        {
            ClearCaches();
            var started = new CountdownEvent(running * 3);
            var chats = Enumerable.Range(0, running).Select(i => MeasureAsync(
                [ChatMessage.User($"{TextPrompt} Call the robot Unit {i + 1}.")], Options, $"user-{i}", ct,
                () => { if (!started.IsSet) started.Signal(); })).ToList();
            await Task.Run(() => started.Wait(ct), ct);
            var newcomer = await MeasureAsync([ChatMessage.User(DescribePrompt, ImageContent.FromBytes(BenchImages.Png(width, height, variant: 99)))],
                GenerationOptions.Greedy(4, 4), "newcomer", ct);
            var results = await Task.WhenAll(chats);
            log.WriteLine($"  {running} decoding + 1 image {width}×{height} arriving, run {run + 1}: worst inter-token gap of the running {results.Max(r => r.MaxTokenGapMs):F0} ms " +
                $"(their decode {results.Average(r => r.DecodeTokensPerSecond):F2} tok/s each); newcomer vision {newcomer.VisionMs:F0} ms, prefill {newcomer.PrefillMs:F0} ms, TTFT {newcomer.TtftMs:F0} ms");
        }
    }

    private void ClearCaches()
    {
        model.VisionCache.Clear();
        model.PrefixCache.Clear();
    }

    private async Task<IReadOnlyList<BenchMeasurement>> RepeatAsync(Func<Task<BenchMeasurement>> measure, CancellationToken ct)
    {
        var results = new List<BenchMeasurement>();
        for (int run = 0; run < runs; run++)
        {
            ct.ThrowIfCancellationRequested();
            var m = await measure();
            Log($"run {run + 1}", m);
            results.Add(m);
        }
        return results;
    }

    private void Log(string what, BenchMeasurement m) =>
        log.WriteLine($"  {what}: prompt {m.PromptTokens} tok ({m.ReusedPromptTokens} reused, {m.CachedImages} cached img), vision {m.VisionMs:F0} ms, prefill {m.PrefillMs:F0} ms, TTFT {m.TtftMs:F0} ms, decode {m.DecodeTokensPerSecond:F2} tok/s, total {m.EndToEndSeconds:F2} s");

    private async Task<BenchMeasurement> MeasureAsync(IReadOnlyList<ChatMessage> messages, GenerationOptions options, string? owner, CancellationToken ct,
        Action? onToken = null)
    {
        var wall = Stopwatch.StartNew();
        var text = new StringBuilder();
        GenerationEvent? last = null;
        double lastTokenAt = -1, maxGapMs = 0;
        await foreach (var e in model.GenerateAsync(messages, options, new RequestContext(Owner: owner), ct))
        {
            if (e.IsProgress) continue; // Queued / Started: the engine queue's events, no text
            double now = wall.Elapsed.TotalMilliseconds;
            if (e.TokenId is not null)
            {
                if (lastTokenAt >= 0) maxGapMs = Math.Max(maxGapMs, now - lastTokenAt);
                lastTokenAt = now;
                onToken?.Invoke();
            }
            text.Append(e.TextDelta);
            last = e;
        }
        if (last?.FinishReason == FinishReason.Cancelled) throw new OperationCanceledException(ct);
        return BenchMeasurement.From(last!.Stats, wall.Elapsed.TotalSeconds, text.ToString(), maxGapMs);
    }
}
