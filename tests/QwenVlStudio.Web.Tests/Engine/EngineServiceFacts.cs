using QwenVlStudio.Tests.Shared;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Engine;

public sealed class EngineServiceFacts
{
    [Fact]
    public async Task GenerateAsync_ThrowsUnavailable_WhileLoading()
    {
        await using var harness = new EngineHarness();
        Assert.Equal(EngineState.Loading, harness.Engine.Status.State);
        await using var request = harness.Start();
        await Assert.ThrowsAsync<EngineUnavailableException>(request.StartedAsync);
    }

    [Fact]
    public async Task LoadAsync_ReportsFailed_WhenTheFactoryThrows()
    {
        await using var harness = new EngineHarness();
        harness.Factory.FailWith = "onnx/decoder.onnx is missing";
        await harness.LoadAsync();
        Assert.Equal(EngineState.Failed, harness.Engine.Status.State);
        Assert.Contains("onnx/decoder.onnx is missing", harness.Engine.Status.Message);
    }

    [Fact]
    public async Task GenerateAsync_StreamsStartedThenTokensThenFinal_WhenReady()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.Tokens = 3;
        await harness.LoadAsync();
        await using var request = harness.Start();
        await request.ReadToEndAsync();

        Assert.IsType<StartedUpdate>(request.Updates[0]);
        var events = request.Updates.OfType<TokenUpdate>().Select(t => t.Event).ToList();
        Assert.Equal(["Fake answer: word1 ", "word2 ", "word3 ", ""], events.Select(e => e.TextDelta));
        Assert.Equal(FinishReason.Length, events[^1].FinishReason);
        // The slot is freed when the engine's current step ends, a moment after the answer's last event.
        await Poll.UntilAsync(() => harness.Engine.Load.Running == 0, what: "the slot freed");
    }

    [Fact]
    public async Task GenerateAsync_ReportsQueuePosition_WhileAnotherRequestRuns()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.HoldFirstStep = new TaskCompletionSource();
        await harness.LoadAsync();
        await using var first = harness.Start();
        Assert.True(await first.StartedAsync());

        await using var second = harness.Start();
        Assert.True(await second.ReadUntilAsync(u => u is QueuedUpdate));
        Assert.Equal(new QueuedUpdate(1), second.Updates[0]);

        harness.Behavior.HoldFirstStep.SetResult();
        await first.ReadToEndAsync();
        Assert.True(await second.StartedAsync());
    }

    [Fact]
    public async Task GenerateAsync_ThrowsBusy_WhenQueueIsFull()
    {
        await using var harness = new EngineHarness(new GovernorSettings { MaxConcurrentSequences = 1, MaxQueueLength = 1, VisionThreads = 1, DecoderThreads = 1 });
        harness.Behavior.HoldFirstStep = new TaskCompletionSource();
        await harness.LoadAsync();
        await using var running = harness.Start();
        Assert.True(await running.StartedAsync());
        await using var queued = harness.Start();
        Assert.True(await queued.ReadUntilAsync(u => u is QueuedUpdate));

        await using var overflow = harness.Start();
        var busy = await Assert.ThrowsAsync<EngineBusyException>(overflow.StartedAsync);
        Assert.Contains("busy", busy.Message);
        harness.Behavior.HoldFirstStep.SetResult();
    }

    [Fact]
    public async Task Cancel_EndsTheSequenceAfterItsStep_AndTheQueuedOneStarts()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.HoldFirstStep = new TaskCompletionSource();
        await harness.LoadAsync();
        using var cts = new CancellationTokenSource();
        await using var first = harness.Start(cancellationToken: cts.Token);
        Assert.True(await first.StartedAsync());
        var firstDone = first.ReadToEndAsync();
        await Until(() => harness.Factory.Latest!.Running == 1);
        await using var second = harness.Start();
        Assert.True(await second.ReadUntilAsync(u => u is QueuedUpdate));

        await cts.CancelAsync();
        // The fake's first step ignores cancellation (like a long native call): the engine drops the sequence at
        // the step's end, and only then does the queued one get the slot.
        Assert.False(firstDone.IsCompleted, "the cancelled sequence's step is still running");
        harness.Behavior.HoldFirstStep.SetResult();
        await firstDone;

        Assert.Equal(FinishReason.Cancelled, first.Updates.OfType<TokenUpdate>().Last().Event.FinishReason);
        Assert.True(await second.StartedAsync());
        Assert.Equal(1, harness.Engine.Load.Running);
    }

    [Fact]
    public async Task RebuildAsync_WaitsForRunningSequence_ThenUsesNewThreads()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.HoldFirstStep = new TaskCompletionSource();
        await harness.LoadAsync();
        var oldEngine = harness.Factory.Latest!;
        await using var running = harness.Start();
        Assert.True(await running.StartedAsync());

        var rebuild = harness.Engine.RebuildAsync(new ModelLoadOptions { VisionThreads = 3, DecoderThreads = 5 }, CancellationToken.None);
        await Until(() => harness.Engine.Status.State == EngineState.Reloading);
        Assert.False(rebuild.IsCompleted);
        Assert.False(oldEngine.IsDisposed);

        harness.Behavior.HoldFirstStep.SetResult();
        await running.ReadToEndAsync();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(oldEngine.IsDisposed);
        Assert.Equal(new ModelLoadOptions { VisionThreads = 3, DecoderThreads = 5 }, harness.Factory.Latest!.Settings);
        Assert.Equal(EngineState.Ready, harness.Engine.Status.State);
    }

    [Fact]
    public async Task GenerateAsync_WaitsThroughReload_AndRunsOnTheNewEngine()
    {
        await using var harness = new EngineHarness();
        var hold = new TaskCompletionSource();
        harness.Behavior.HoldFirstStep = hold;
        await harness.LoadAsync();
        await using var running = harness.Start();
        Assert.True(await running.StartedAsync());
        harness.Behavior.HoldFirstStep = null;
        var rebuild = harness.Engine.RebuildAsync(new ModelLoadOptions { VisionThreads = 2, DecoderThreads = 2 }, CancellationToken.None);

        await using var during = harness.Start();
        Assert.True(await during.ReadUntilAsync(u => u is QueuedUpdate));

        hold.SetResult();
        await running.ReadToEndAsync();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(5));
        await during.ReadToEndAsync();

        Assert.Equal(2, harness.Factory.Created.Count);
        Assert.Single(harness.Factory.Created[0].Requests);
        Assert.Single(harness.Factory.Created[1].Requests);
        Assert.Contains(during.Updates, u => u is TokenUpdate { Event.IsFinal: true });
    }

    [Fact]
    public async Task RebuildAsync_UnderLoad_LosesNoRequest_QueuedOnesFinishOnTheOldEngine_NewOnesOnTheNew()
    {
        await using var harness = new EngineHarness();
        var hold = new TaskCompletionSource();
        harness.Behavior.HoldFirstStep = hold;
        harness.Behavior.Tokens = 3;
        await harness.LoadAsync();
        var oldEngine = harness.Factory.Latest!;
        await using var running = harness.Start("running");
        Assert.True(await running.StartedAsync());
        await using var queued = harness.Start("queued in the old engine");
        Assert.True(await queued.ReadUntilAsync(u => u is QueuedUpdate));

        var rebuild = harness.Engine.RebuildAsync(new ModelLoadOptions { VisionThreads = 2, DecoderThreads = 2 }, CancellationToken.None);
        await Until(() => harness.Engine.Paused);
        await using var arriving = harness.Start("arriving during the swap");
        Assert.True(await arriving.ReadUntilAsync(u => u is QueuedUpdate));
        harness.Behavior.HoldFirstStep = null;
        hold.SetResult();
        var reads = Task.WhenAll(running.ReadToEndAsync(), queued.ReadToEndAsync(), arriving.ReadToEndAsync());
        await rebuild.WaitAsync(TimeSpan.FromSeconds(10));
        await reads.WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var request in new[] { running, queued, arriving })
            Assert.Equal(FinishReason.Length, request.Updates.OfType<TokenUpdate>().Last().Event.FinishReason);
        Assert.Equal(2, oldEngine.Requests.Count);
        Assert.Single(harness.Factory.Latest!.Requests);
        Assert.True(oldEngine.IsDisposed);
        Assert.False(harness.Engine.Paused);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
