using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Api;

/// <summary>The OpenAI-compatible HTTP API, API keys, health endpoints and Prometheus /metrics.</summary>
public static class OpenAiApiExtensions
{
    private const string RatePolicy = "api-key";

    public static IServiceCollection AddOpenAiApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ImageUrlReader>();
        services.AddSingleton<ChatRequestParser>();
        services.AddSingleton<EngineMetrics>();
        services.AddHttpClient(ImageUrlReader.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RatePolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RequestsPerMinute;
                var clock = context.RequestServices.GetRequiredService<TimeProvider>();
                return RateLimitPartition.Get(ApiKeyAuthenticator.PartitionKey(context.Request),
                    _ => new ExactWindowRateLimiter(perMinute, TimeSpan.FromMinutes(1), clock));
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                await ApiErrors.WriteAsync(rejected.HttpContext, new ApiException(429,
                    "Rate limit reached for this API key; try again later.", "rate_limit_error", code: "rate_limit_exceeded") { RetryAfter = retry });
            };
        });

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(EngineMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddMeter("System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Whether a request is one of the API's: those answer errors as OpenAI JSON, never as the dashboard's pages.</summary>
    public static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    public static WebApplication MapOpenAiApi(this WebApplication app)
    {
        // Created now so that it counts from the first request on.
        app.Services.GetRequiredService<EngineMetrics>();
        app.UseRateLimiter();
        var v1 = app.MapGroup("/v1").RequireRateLimiting(RatePolicy).DisableAntiforgery();
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapGet("/models", (HttpContext context, ApiKeyAuthenticator auth, Engine.EngineService engine) => ModelsEndpoint.List(context, auth, engine));
        v1.MapGet("/models/{id}", (HttpContext context, ApiKeyAuthenticator auth, Engine.EngineService engine, string id) =>
            ModelsEndpoint.Retrieve(context, auth, engine, id));
        v1.Map("/{**path}", UnknownRouteEndpoint.HandleAsync);
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
