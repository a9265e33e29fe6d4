using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Engine;

public sealed class EngineGovernorFacts
{
    [Fact]
    public async Task ApplyAsync_RefusesAndKeepsCurrent_WhenAValueIsOutOfRange()
    {
        await using var harness = new EngineHarness();
        await harness.LoadAsync();
        var before = harness.Governor.Current;

        var error = await Assert.ThrowsAsync<GovernorValidationException>(
            () => harness.Governor.ApplyAsync(before with { DecoderThreads = 0 }, CancellationToken.None));

        Assert.Contains(error.Errors, e => e.Contains("Decoder threads"));
        Assert.Same(before, harness.Governor.Current);
        Assert.Equal(0, harness.Store.Saves);
        Assert.Single(harness.Factory.Created);
    }

    [Fact]
    public async Task ApplyAsync_RebuildsEngine_WhenThreadCountsChange()
    {
        await using var harness = new EngineHarness();
        await harness.LoadAsync();

        await harness.Governor.ApplyAsync(harness.Governor.Current with { DecoderThreads = 3, VisionThreads = 2 }, CancellationToken.None);

        Assert.Equal(2, harness.Factory.Created.Count);
        Assert.Equal(new EngineBuildSettings(2, 3), harness.Factory.Latest!.Settings);
        Assert.Equal(3, harness.Store.Saved!.DecoderThreads);
        Assert.Equal(EngineState.Ready, harness.Engine.Status.State);
    }

    [Fact]
    public async Task ApplyAsync_ResizesSchedulerWithoutRebuild_WhenOnlyLimitsChange()
    {
        await using var harness = new EngineHarness();
        await harness.LoadAsync();

        await harness.Governor.ApplyAsync(harness.Governor.Current with { MaxConcurrentSequences = 3, MaxQueueLength = 9, MaxNewTokens = 7 }, CancellationToken.None);

        Assert.Single(harness.Factory.Created);
        var snapshot = harness.Engine.Scheduler.Snapshot();
        Assert.Equal(3, snapshot.MaxConcurrentSequences);
        Assert.Equal(9, snapshot.MaxQueueLength);
        Assert.Equal(7, harness.Governor.Current.ToGenerationOptions().MaxNewTokens);
    }
}
