using System.Diagnostics;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Batching;

/// <summary>Admission order of the batching loop.</summary>
public class BatchingLoopFacts(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task RunAsync_AdmitsInteractiveBeforeEarlierBatch_WhenRowsAreFull()
    {
        using var loop = new BatchingLoop(model.Sessions, prefixes: null, maxBatchSize: 1, contextLength: 4096);
        var prompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case4_text_only"));
        var finished = new List<string>();

        using var hold = new CancellationTokenSource();

        // "running" holds the only row until cancelled, which happens once the two others are queued, batch first.
        // (Should the loop thread wake only after all three are queued, "running" still goes first: interactive and
        // earliest.)
        var running = Collect(loop, prompt, RequestPriority.Interactive, 100_000, "running", finished, hold.Token);
        var batch = Collect(loop, prompt, RequestPriority.Batch, 4, "batch", finished);
        var interactive = Collect(loop, prompt, RequestPriority.Interactive, 4, "interactive", finished);
        await hold.CancelAsync();
        await Task.WhenAll(running, batch, interactive);

        Assert.Equal(["running", "interactive", "batch"], finished);
    }

    [Fact]
    public async Task RunAsync_Throws_AfterDispose()
    {
        var loop = new BatchingLoop(model.Sessions, prefixes: null, maxBatchSize: 2, contextLength: 4096);
        var prompt = GoldenPrompts.Load(model.Sessions, GoldenCase.Load("case4_text_only"));
        loop.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Collect(loop, prompt, RequestPriority.Interactive, 4, "late", []));
    }

    /// <summary>Starts the request synchronously (it is queued before this returns) and records when it ends.</summary>
    private static Task Collect(BatchingLoop loop, PreparedPrompt prompt, RequestPriority priority, int tokens, string name, List<string> finished,
        CancellationToken cancellationToken = default)
    {
        var request = new SequenceRequest(prompt, GenerationOptions.Greedy(tokens, tokens), new GoldenPrompts.NoText(),
            new RequestContext(priority), Stopwatch.GetTimestamp());
        var stream = loop.RunAsync(request, cancellationToken).GetAsyncEnumerator();
        var first = stream.MoveNextAsync().AsTask();
        return Drain();

        async Task Drain()
        {
            await using (stream)
            {
                for (bool more = await first; more; more = await stream.MoveNextAsync()) { }
            }
            lock (finished) finished.Add(name);
        }
    }
}
