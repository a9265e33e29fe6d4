using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>The LiteDB file (Data:Path, relative to the content root) and the stores over it.</summary>
    public static IServiceCollection AddStudioData(this IServiceCollection services)
    {
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new StudioDatabase(Path.GetFullPath(options.Path, root), options.AcceptMissingLog);
        });
        services.AddSingleton<Hosting.IReadinessCheck, Hosting.DiskSpaceReadiness>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<IGovernorSettingsStore, LiteDbGovernorSettingsStore>();
        return services;
    }
}
