using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Engine;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Engine;

/// <summary>
/// The engine loop's scheduling over a fake decode batch (no model): priority and FIFO in the queue and at step
/// boundaries, busy when full, true queue positions, cancellation in every stage, the token budget per turn.
/// The fake holds the loop thread at a decoder call until the test allows it, so every order is deterministic.
/// </summary>
public class EngineLoopFacts
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly List<string> _log = [];

    private static EngineLoop Loop(FakeDecodeBatch batch, int running = 1, int perCall = 1, int queue = 8, int budget = 512, int chunk = 256) =>
        new(batch, new EngineLoopPolicy(running, perCall, queue, budget, chunk, VisionWorkers: 1), prefixes: null, eos: [0], contextLength: 100_000);

    private LoopProbe Start(EngineLoop loop, string name, EngineSubmission submission, CancellationToken cancellationToken = default) =>
        new(loop, name, submission, _log, cancellationToken);

    [Fact]
    public async Task Queue_ServesInteractiveBeforeEarlierBatch_AndFifoWithinEachClass_WithTruePositions()
    {
        var batch = new FakeDecodeBatch(1) { Free = false };
        using var loop = Loop(batch);
        using var hold = new CancellationTokenSource();
        var running = Start(loop, "running", LoopProbe.Submit(1, 4, 100_000), hold.Token);
        batch.Allow(2); // its prefill and first step
        await running.SeesAsync(e => e.TokenId is not null);

        var batch1 = Start(loop, "batch1", LoopProbe.Submit(2, 4, 3, RequestPriority.Batch));
        batch.Allow();
        await batch1.SeesAsync(e => e.QueuePosition == 1);
        var batch2 = Start(loop, "batch2", LoopProbe.Submit(3, 4, 3, RequestPriority.Batch));
        batch.Allow();
        await batch2.SeesAsync(e => e.QueuePosition == 2);
        var interactive = Start(loop, "interactive", LoopProbe.Submit(4, 4, 3));
        batch.Allow();
        await interactive.SeesAsync(e => e.QueuePosition == 1);
        await batch2.SeesAsync(e => e.QueuePosition == 3);

        await hold.CancelAsync();
        batch.Free = true;
        await Task.WhenAll(running.Completion, batch1.Completion, batch2.Completion, interactive.Completion).WaitAsync(Bound);

        // Each move is a turn of its own: interactive arrives (both move back), interactive starts, batch1 starts.
        Assert.Equal([1, 2, 1], batch1.Positions);
        Assert.Equal([2, 3, 2, 1], batch2.Positions);
        Assert.Equal([1], interactive.Positions);
        Assert.Empty(running.Positions); // a free slot at once: never queued
        // The order the loop served them in (its own calls; the probes' logs show the order their readers woke up).
        var prefills = batch.CallsSnapshot().Where(c => c.StartsWith("prefill")).ToList();
        Assert.Equal(["prefill 1 4", "prefill 4 4", "prefill 2 4", "prefill 3 4"], prefills);
        Assert.Equal(FinishReason.Cancelled, running.Final!.FinishReason);
        foreach (var done in new[] { batch1, batch2, interactive })
            Assert.Equal(FinishReason.Length, done.Final!.FinishReason);
    }

    [Fact]
    public async Task Queue_RefusesOneMoreThanAClassHolds_WithEngineBusy_AndStillTakesTheOtherClass()
    {
        var batch = new FakeDecodeBatch(1) { Free = false };
        using var loop = Loop(batch, queue: 1);
        using var hold = new CancellationTokenSource();
        var running = Start(loop, "running", LoopProbe.Submit(1, 4, 100_000), hold.Token);
        batch.Allow(2);
        await running.SeesAsync(e => e.TokenId is not null);
        var waiting = Start(loop, "waiting", LoopProbe.Submit(2, 4, 2, RequestPriority.Batch));

        var refused = Start(loop, "refused", LoopProbe.Submit(3, 4, 2, RequestPriority.Batch));
        var busy = await Assert.ThrowsAsync<EngineBusyException>(() => refused.Completion.WaitAsync(Bound));
        var interactive = Start(loop, "interactive", LoopProbe.Submit(4, 4, 2));

        Assert.Equal(RequestPriority.Batch, busy.Priority);
        Assert.Equal(1, busy.QueueLimit);
        Assert.Equal(new EngineLoad(1, 1, 1, 1, 1), loop.Load);
        await hold.CancelAsync();
        batch.Free = true;
        await Task.WhenAll(running.Completion, waiting.Completion, interactive.Completion).WaitAsync(Bound);
        Assert.Equal(2, waiting.Tokens.Count);
        Assert.Equal(2, interactive.Tokens.Count);
    }

    [Fact]
    public async Task RunningBatchSequence_YieldsToInteractive_AtAStepBoundary_AndResumesWithTheSameAnswer()
    {
        var batch = new FakeDecodeBatch(1) { Free = false };
        using var loop = Loop(batch);
        var bulk = Start(loop, "bulk", LoopProbe.Submit(5, 6, 10, RequestPriority.Batch));
        batch.Allow(4); // prefill and three steps: four tokens
        await bulk.SeesAsync(e => e.TokenId is not null && e.Stats.GeneratedTokens == 4);

        var interactive = Start(loop, "interactive", LoopProbe.Submit(6, 3, 2));
        batch.Free = true;
        await Task.WhenAll(bulk.Completion, interactive.Completion).WaitAsync(Bound);

        var calls = batch.CallsSnapshot();
        Assert.Equal(2, calls.Count(c => c == "leave 5")); // it yielded its row once, and left at its end
        Assert.True(calls.IndexOf("leave 6") < calls.LastIndexOf("leave 5"), string.Join("; ", calls));
        Assert.True(calls.IndexOf("prefill 6 3") < calls.LastIndexOf("step 5"), string.Join("; ", calls));
        // Its answer is the one it gets alone: the tokens follow from its length, as a real decoder's from its KV.
        var alone = Enumerable.Range(6, 10).Select(length => FakeDecodeBatch.TokenAt(5, length)).ToList();
        Assert.Equal(alone, bulk.Tokens);
        Assert.Equal(FinishReason.Length, bulk.Final!.FinishReason);
        Assert.Single(bulk.Events, e => e.IsStarted);
        // Resumed on its own KV: joined with the prompt and the tokens fed before it yielded, prefilling only its newest.
        Assert.Contains(batch.JoinedWithPrefix, p => p > 6);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public async Task Cancel_WhileQueued_EndsItWithCancelled_WithoutStartingIt_AndOthersAreUnaffected()
    {
        var batch = new FakeDecodeBatch(1) { Free = false };
        using var loop = Loop(batch);
        var running = Start(loop, "running", LoopProbe.Submit(1, 4, 5));
        batch.Allow(2);
        await running.SeesAsync(e => e.TokenId is not null);
        using var cancel = new CancellationTokenSource();
        var queued = Start(loop, "queued", LoopProbe.Submit(2, 4, 5), cancel.Token);
        batch.Allow();
        await queued.SeesAsync(e => e.QueuePosition == 1);

        await cancel.CancelAsync();
        batch.Free = true;
        await Task.WhenAll(running.Completion, queued.Completion).WaitAsync(Bound);

        Assert.Equal(FinishReason.Cancelled, queued.Final!.FinishReason);
        Assert.DoesNotContain(queued.Events, e => e.IsStarted);
        Assert.Equal(Enumerable.Range(4, 5).Select(l => FakeDecodeBatch.TokenAt(1, l)), running.Tokens);
    }

    [Fact]
    public async Task Cancel_MidVision_FreesTheSlotAtOnce_WhileTheEncoderStillRuns()
    {
        var batch = new FakeDecodeBatch(1);
        using var loop = Loop(batch);
        using var encoderEntered = new ManualResetEventSlim();
        using var encoderRelease = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var image = Start(loop, "image", LoopProbe.Submit(1, 4, 5, vision: _ =>
        {
            encoderEntered.Set();
            encoderRelease.Wait(Bound); // a long native encode: does not look at the token
            return FakeDecodeBatch.Prompt(1, 4);
        }), cancel.Token);
        Assert.True(encoderEntered.Wait(Bound));
        var next = Start(loop, "next", LoopProbe.Submit(2, 4, 3));

        await cancel.CancelAsync();
        await Task.WhenAll(image.Completion, next.Completion).WaitAsync(Bound); // next ran while the encoder was still busy
        encoderRelease.Set();

        Assert.Equal(FinishReason.Cancelled, image.Final!.FinishReason);
        Assert.Empty(image.Tokens);
        Assert.Equal(3, next.Tokens.Count);
        Assert.Equal(0, loop.Load.Running);
    }

    [Fact]
    public async Task Cancel_MidPrefill_LeavesTheRow_AndOthersAreUnaffected()
    {
        var batch = new FakeDecodeBatch(2) { Free = false };
        using var loop = Loop(batch, running: 2, perCall: 2, budget: 10, chunk: 10);
        using var cancel = new CancellationTokenSource();
        var longPrompt = Start(loop, "long", LoopProbe.Submit(1, 100, 5), cancel.Token);
        batch.Allow(2); // two of its ten chunks
        for (int i = 0; i < 1000 && batch.CallsSnapshot().Count < 2; i++) await Task.Delay(10);

        await cancel.CancelAsync();
        batch.Free = true;
        var other = Start(loop, "other", LoopProbe.Submit(2, 4, 3));
        await Task.WhenAll(longPrompt.Completion, other.Completion).WaitAsync(Bound);

        Assert.Equal(FinishReason.Cancelled, longPrompt.Final!.FinishReason);
        Assert.Empty(longPrompt.Tokens);
        Assert.True(batch.CallsSnapshot().Count(c => c == "prefill 1 10") < 10);
        Assert.Contains("leave 1", batch.CallsSnapshot());
        Assert.Equal(Enumerable.Range(4, 3).Select(l => FakeDecodeBatch.TokenAt(2, l)), other.Tokens);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public async Task Cancel_MidDecode_EndsOnlyThatRow()
    {
        var batch = new FakeDecodeBatch(2) { Free = false };
        using var loop = Loop(batch, running: 2, perCall: 2);
        using var cancel = new CancellationTokenSource();
        var cancelled = Start(loop, "cancelled", LoopProbe.Submit(1, 4, 1000), cancel.Token);
        var kept = Start(loop, "kept", LoopProbe.Submit(2, 5, 20));
        batch.Allow(4);
        await cancelled.SeesAsync(e => e.TokenId is not null && e.Stats.GeneratedTokens >= 2);

        await cancel.CancelAsync();
        batch.Free = true;
        await Task.WhenAll(cancelled.Completion, kept.Completion).WaitAsync(Bound);

        Assert.Equal(FinishReason.Cancelled, cancelled.Final!.FinishReason);
        Assert.InRange(cancelled.Tokens.Count, 2, 999);
        Assert.Equal(Enumerable.Range(5, 20).Select(l => FakeDecodeBatch.TokenAt(2, l)), kept.Tokens);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public async Task NewcomersPrompt_DelaysTheRunningRowsNextToken_ByAtMostOneChunk()
    {
        var batch = new FakeDecodeBatch(2);
        using var loop = Loop(batch, running: 2, perCall: 2, budget: 64, chunk: 16);
        using var hold = new CancellationTokenSource();
        var running = Start(loop, "running", LoopProbe.Submit(1, 4, 100_000), hold.Token);
        await running.SeesAsync(e => e.TokenId is not null && e.Stats.GeneratedTokens >= 3);
        var newcomer = Start(loop, "newcomer", LoopProbe.Submit(2, 100, 3));
        await newcomer.Completion.WaitAsync(Bound);
        await hold.CancelAsync();
        await running.Completion.WaitAsync(Bound);

        var calls = batch.CallsSnapshot();
        var prefillRuns = new List<int>();
        int run = 0;
        foreach (var call in calls.SkipWhile(c => !c.StartsWith("step")))
        {
            if (call.StartsWith("prefill 2")) run++;
            else if (call.StartsWith("step")) { prefillRuns.Add(run); run = 0; }
        }
        Assert.True(prefillRuns.Max() <= 1, string.Join("; ", calls));
        Assert.Equal(100 / 16 + 1, calls.Count(c => c.StartsWith("prefill 2")));
        Assert.Equal(Enumerable.Range(4, running.Tokens.Count).Select(l => FakeDecodeBatch.TokenAt(1, l)), running.Tokens);
    }

    [Fact]
    public async Task RunAsync_Throws_AfterDispose()
    {
        var loop = Loop(new FakeDecodeBatch(1));
        loop.Dispose();

        var late = Start(loop, "late", LoopProbe.Submit(1, 4, 2));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => late.Completion.WaitAsync(Bound));
    }
}
