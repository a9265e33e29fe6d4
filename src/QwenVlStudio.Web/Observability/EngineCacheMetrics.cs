using System.Diagnostics.Metrics;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Observability;

/// <summary>
/// The engine's caches and batching on the "QwenVlStudio.Engine" meter, read from
/// <see cref="EngineService.Statistics"/> whenever metrics are collected. Counters restart when the engine is rebuilt
/// (a counter reset, as Prometheus expects after a restart). Nothing is reported while no engine is loaded.
/// Not disposable on purpose: the meter factory hands every user of this meter name the same Meter and disposes it
/// itself when the host stops.
/// </summary>
public sealed class EngineCacheMetrics
{
    public const string MeterName = "QwenVlStudio.Engine";

    public EngineCacheMetrics(IMeterFactory meterFactory, EngineService engine)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("qwenvl.cache.hits", () => PerCache(engine, s => s.Hits), "{lookup}", "Cache lookups that found an entry, by cache");
        meter.CreateObservableCounter("qwenvl.cache.misses", () => PerCache(engine, s => s.Misses), "{lookup}", "Cache lookups that found nothing, by cache");
        meter.CreateObservableCounter("qwenvl.cache.evictions", () => PerCache(engine, s => s.Evictions), "{entry}", "Entries evicted to stay within the cache's bytes, by cache");
        meter.CreateObservableGauge("qwenvl.cache.size", () => PerCache(engine, s => s.Bytes), "By", "Bytes held, by cache");
        meter.CreateObservableGauge("qwenvl.cache.capacity", () => PerCache(engine, s => s.CapacityBytes), "By", "Most bytes the cache may hold, by cache");
        meter.CreateObservableGauge("qwenvl.cache.entries", () => PerCache(engine, s => (long)s.Entries), "{entry}", "Entries held, by cache");
        meter.CreateObservableCounter("qwenvl.prefix.reused_tokens", () => Single(engine, s => s.ReusedPromptTokens), "{token}",
            "Prompt tokens taken from the KV prefix cache instead of being prefilled");
        meter.CreateObservableCounter("qwenvl.batch.decoder_calls", () => Single(engine, s => s.BatchSteps), "{call}", "Batched decoder calls");
        meter.CreateObservableCounter("qwenvl.batch.rows", () => Single(engine, s => s.BatchRows), "{row}",
            "Sequence rows decoded by batched calls (rows / calls = mean batch size)");
    }

    private static IEnumerable<Measurement<long>> PerCache(EngineService engine, Func<CacheStats, long> value)
    {
        if (engine.Statistics is not { } s) return [];
        return
        [
            new Measurement<long>(value(s.VisionCache), new KeyValuePair<string, object?>("cache", "vision")),
            new Measurement<long>(value(s.PrefixCache), new KeyValuePair<string, object?>("cache", "kv_prefix")),
        ];
    }

    private static IEnumerable<Measurement<long>> Single(EngineService engine, Func<EngineStatistics, long> value) =>
        engine.Statistics is { } s ? [new Measurement<long>(value(s))] : [];
}
