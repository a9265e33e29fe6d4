using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QwenVlStudio.Web.Observability;

public static class MonitoringExtensions
{
    /// <summary>The once-a-second sampler, its 5-minute history and the /hubs/metrics SignalR hub.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSignalR();
        services.AddSingleton<MetricsHistory>();
        services.AddSingleton(sp => new EngineMeterListener(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ResourceSampler>();
        return services;
    }

    public static WebApplication MapMonitoring(this WebApplication app)
    {
        // Open like /metrics: the same figures, for dashboards and scripts (put both behind the proxy when exposed).
        app.MapHub<MetricsHub>(MetricsHub.Path);
        return app;
    }
}
