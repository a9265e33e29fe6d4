using Microsoft.Extensions.Hosting;

namespace QwenVlStudio.Web.Engine;

/// <summary>Loads the model in the background so the host answers (with a "loading" state) right away.</summary>
public sealed class EngineStartupService(EngineService engine, EngineGovernor governor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        engine.LoadAsync(governor.Current.ToBuildSettings(), stoppingToken);
}
