using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QwenVlStudio.Web.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The shared engine service and its governor. Needs an <see cref="IGovernorSettingsStore"/> registration.
    /// Tests replace <see cref="IEngineFactory"/> with a fake.
    /// </summary>
    public static IServiceCollection AddQwenVlEngine(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GovernorOptions>().BindConfiguration(GovernorOptions.Section);

        // The real engine; tests register a fake factory before this runs.
        services.TryAddSingleton<IEngineFactory, OnnxEngineFactory>();

        services.AddSingleton(sp => GovernorDefaults.Resolve(
            sp.GetRequiredService<IOptions<GovernorOptions>>().Value,
            sp.GetRequiredService<IGovernorSettingsStore>(),
            Environment.ProcessorCount,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EngineGovernor>()));
        services.AddSingleton(sp =>
        {
            var model = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new EngineService(
                sp.GetRequiredService<IEngineFactory>(),
                Path.GetFullPath(model.Path, root),
                sp.GetRequiredService<ILogger<EngineService>>());
        });
        services.AddSingleton<EngineGovernor>();
        services.AddMetrics();
        services.AddSingleton<Observability.EngineCacheMetrics>();
        services.AddHostedService<EngineStartupService>();
        return services;
    }
}
