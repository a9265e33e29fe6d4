using Microsoft.Extensions.Hosting;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Loads the model in the background so the host answers (with a "loading" state) right away. Takes the cache
/// metrics so that their instruments exist from the start (observable instruments read the engine when collected).
/// </summary>
public sealed class EngineStartupService(EngineService engine, EngineGovernor governor, Observability.EngineCacheMetrics cacheMetrics)
    : BackgroundService
{
    public Observability.EngineCacheMetrics CacheMetrics { get; } = cacheMetrics;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        engine.LoadAsync(governor.Current.ToEngineOptions(), stoppingToken);
}
