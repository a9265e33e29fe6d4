using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Engine;

/// <summary>What the engine service tells the engine about each request, and what it reports back about caches.</summary>
public sealed class EngineRequestContextFacts
{
    [Fact]
    public async Task GenerateAsync_PassesPriorityAndOwnerToTheEngine()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.Tokens = 1;
        await harness.LoadAsync();

        await Drain(harness.Engine.GenerateAsync(EngineHarness.Question(), GenerationOptions.Greedy(4), RequestPriority.Batch, "alice"));
        await Drain(harness.Engine.GenerateAsync(EngineHarness.Question(), GenerationOptions.Greedy(4), RequestPriority.Interactive));

        Assert.Equal(
            [new RequestContext(RequestPriority.Batch, "alice"), new RequestContext(RequestPriority.Interactive, null)],
            harness.Factory.Latest!.Contexts);
    }

    [Fact]
    public async Task Statistics_IsNullWhileLoading_ThenTheEnginesFigures()
    {
        await using var harness = new EngineHarness();
        var figures = new EngineStatistics(new CacheStats(3, 1, 0, 2, 100, 1000), CacheStats.Disabled, 42, 4, 10, 25);
        harness.Behavior.Statistics = figures;
        Assert.Null(harness.Engine.Statistics);

        await harness.LoadAsync();

        Assert.Same(figures, harness.Engine.Statistics);
    }

    [Fact]
    public async Task ApplyAsync_RebuildsWithBatchAndCacheSizes_WhenBatchingIsTurnedOn()
    {
        await using var harness = new EngineHarness(new GovernorSettings { VisionThreads = 1, DecoderThreads = 1, MaxConcurrentSequences = 4 });
        await harness.LoadAsync();

        await harness.Governor.ApplyAsync(
            harness.Governor.Current with { BatchingEnabled = true, MaxBatchSize = 4, VisionCacheMegabytes = 64, PrefixCacheMegabytes = 0 },
            CancellationToken.None);

        Assert.Equal(2, harness.Factory.Created.Count);
        var options = harness.Factory.Latest!.Settings;
        Assert.Equal((1, 1, 4, 4), (options.VisionThreads, options.DecoderThreads, options.MaxRunningSequences, options.MaxBatchSize));
        Assert.Equal((64L << 20, 0L), (options.VisionCacheBytes, options.PrefixCacheBytes));
    }

    private static async Task Drain(IAsyncEnumerable<EngineUpdate> updates)
    {
        await foreach (var _ in updates) { }
    }
}
