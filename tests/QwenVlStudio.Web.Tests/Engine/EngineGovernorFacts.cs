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
        Assert.Equal((2, 3), (harness.Factory.Latest!.Settings.VisionThreads, harness.Factory.Latest!.Settings.DecoderThreads));
        Assert.Equal(3, harness.Store.Saved!.DecoderThreads);
        Assert.Equal(EngineState.Ready, harness.Engine.Status.State);
    }

    [Fact]
    public async Task ApplyAsync_RebuildsWithTheNewLimits_WhenConcurrencyOrQueueChange()
    {
        await using var harness = new EngineHarness();
        await harness.LoadAsync();

        await harness.Governor.ApplyAsync(harness.Governor.Current with { MaxConcurrentSequences = 3, MaxQueueLength = 9 }, CancellationToken.None);

        // Concurrency and queue length are the engine core's own options now: a (drained) rebuild applies them.
        Assert.Equal(2, harness.Factory.Created.Count);
        var load = harness.Engine.Load;
        Assert.Equal(3, load.MaxRunning);
        Assert.Equal(9, load.MaxQueueLength);
    }

    [Fact]
    public async Task ApplyAsync_AppliesRequestDefaultsWithoutRebuild()
    {
        await using var harness = new EngineHarness();
        await harness.LoadAsync();

        await harness.Governor.ApplyAsync(harness.Governor.Current with { MaxNewTokens = 7, Temperature = 0 }, CancellationToken.None);

        Assert.Single(harness.Factory.Created);
        Assert.Equal(7, harness.Governor.Current.ToGenerationOptions().MaxNewTokens);
        Assert.True(harness.Governor.Current.ToGenerationOptions().IsGreedy);
    }
}
