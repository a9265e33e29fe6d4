using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

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
        Assert.Equal(0, harness.Engine.Scheduler.Snapshot().RunningSequences);
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
    public async Task Cancel_FreesTheSlotAtOnce_WhileTheEngineStepIsStillRunning()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.HoldFirstStep = new TaskCompletionSource();
        await harness.LoadAsync();
        using var cts = new CancellationTokenSource();
        await using var first = harness.Start(cancellationToken: cts.Token);
        Assert.True(await first.StartedAsync());
        var firstDone = first.ReadToEndAsync();
        await Poll.UntilAsync(() => harness.Factory.Latest!.Running == 1);
        await using var second = harness.Start();
        Assert.True(await second.ReadUntilAsync(u => u is QueuedUpdate));

        await cts.CancelAsync();

        // The fake's first step ignores cancellation (like a long native call), yet the next request starts.
        Assert.True(await second.StartedAsync());
        Assert.False(firstDone.IsCompleted, "the cancelled sequence's step is still running");
        Assert.Equal(1, harness.Engine.Scheduler.Snapshot().RunningSequences);
        harness.Behavior.HoldFirstStep.SetResult();
        await firstDone;
        Assert.Equal(FinishReason.Cancelled, first.Updates.OfType<TokenUpdate>().Last().Event.FinishReason);
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

        var rebuild = harness.Engine.RebuildAsync(new EngineBuildSettings(3, 5), CancellationToken.None);
        await Poll.UntilAsync(() => harness.Engine.Status.State == EngineState.Reloading);
        Assert.False(rebuild.IsCompleted);
        Assert.False(oldEngine.IsDisposed);

        harness.Behavior.HoldFirstStep.SetResult();
        await running.ReadToEndAsync();
        await rebuild.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(oldEngine.IsDisposed);
        Assert.Equal(new EngineBuildSettings(3, 5), harness.Factory.Latest!.Settings);
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
        var rebuild = harness.Engine.RebuildAsync(new EngineBuildSettings(2, 2), CancellationToken.None);

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
}
