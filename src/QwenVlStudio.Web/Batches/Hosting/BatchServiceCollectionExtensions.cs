using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Batches.Jobs;

namespace QwenVlStudio.Web.Batches.Hosting;

public static class BatchServiceCollectionExtensions
{
    /// <summary>
    /// Batches: their store and service, one Hangfire job per item on the storage "Batch:Storage" names (the LiteDB
    /// storage by default), the server that runs them, and the start-up pass that resumes unfinished batches.
    /// </summary>
    public static IServiceCollection AddBatchJobs(this IServiceCollection services)
    {
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BatchStore>();
        services.AddSingleton<BatchEvents>();
        services.AddSingleton<RunningItems>();
        services.AddSingleton<BatchJobQueue>();
        services.AddSingleton<BatchService>();
        services.AddSingleton<BatchThumbnails>();
        services.AddSingleton<BatchItemProcessor>();
        services.AddSingleton<BatchMetrics>();
        services.AddTransient<BatchItemJob>();

        // The storage and the job activator belong to this host, not to Hangfire's statics (JobStorage.Current,
        // JobActivator.Current): several hosts in one process (tests) must not share or replace each other's.
        services.AddSingleton(BatchJobStorage.Create);
        services.AddSingleton<Web.Hosting.IReadinessCheck, JobServerReadiness>();
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((_, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogBridge.Instance));

        // Started in this order, stopped in reverse: logging outlives the server, resuming precedes it.
        services.AddHostedService<HangfireLogAttachment>();
        services.AddHostedService<BatchResumer>();
        services.AddHostedService<BatchServer>();
        return services;
    }

    /// <summary>Batch downloads and thumbnails, and the Hangfire dashboard at /hangfire for admins only.</summary>
    public static WebApplication MapBatchJobs(this WebApplication app)
    {
        app.MapBatchEndpoints();
        app.MapHangfireDashboardWithAuthorizationPolicy(
            AuthServiceCollectionExtensions.AdminPolicy,
            "/hangfire",
            new DashboardOptions
            {
                DashboardTitle = "QwenVL Studio · batch jobs",
                AppPath = "/batch",
                DisplayStorageConnectionString = false,
            },
            app.Services.GetRequiredService<JobStorage>());
        return app;
    }
}
