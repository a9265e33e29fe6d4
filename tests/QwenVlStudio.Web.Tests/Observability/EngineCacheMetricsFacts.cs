using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Web.Observability;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Observability;

public sealed class EngineCacheMetricsFacts
{
    [Fact]
    public async Task Instruments_ReportTheEnginesCacheAndBatchFigures_WhenCollected()
    {
        await using var harness = new EngineHarness();
        harness.Behavior.Statistics = new EngineStatistics(
            new CacheStats(Hits: 3, Misses: 1, Evictions: 2, Entries: 5, Bytes: 4096, CapacityBytes: 8192),
            new CacheStats(Hits: 7, Misses: 9, Evictions: 0, Entries: 1, Bytes: 100, CapacityBytes: 1000),
            ReusedPromptTokens: 333, MaxBatchSize: 4, BatchSteps: 10, BatchRows: 38);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        _ = new EngineCacheMetrics(factory, harness.Engine);
        var seen = new List<(string Name, long Value, string? Cache)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? cache = null;
            foreach (var tag in tags)
                if (tag.Key == "cache") cache = tag.Value as string;
            seen.Add((instrument.Name, value, cache));
        });
        listener.Start();

        listener.RecordObservableInstruments();
        Assert.Empty(seen); // no engine loaded yet: nothing to report
        await harness.LoadAsync();
        listener.RecordObservableInstruments();

        Assert.Contains(("qwenvl.cache.hits", 3L, "vision"), seen);
        Assert.Contains(("qwenvl.cache.hits", 7L, "kv_prefix"), seen);
        Assert.Contains(("qwenvl.cache.misses", 9L, "kv_prefix"), seen);
        Assert.Contains(("qwenvl.cache.size", 4096L, "vision"), seen);
        Assert.Contains(("qwenvl.cache.capacity", 1000L, "kv_prefix"), seen);
        Assert.Contains(("qwenvl.cache.evictions", 2L, "vision"), seen);
        Assert.Contains(("qwenvl.cache.entries", 5L, "vision"), seen);
        Assert.Contains(("qwenvl.prefix.reused_tokens", 333L, null), seen);
        Assert.Contains(("qwenvl.batch.decoder_calls", 10L, null), seen);
        Assert.Contains(("qwenvl.batch.rows", 38L, null), seen);
    }
}
