using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Hosting;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// /healthz: the process answers. /readyz: the model is loaded, the interactive queue has room, and every
/// <see cref="IReadinessCheck"/> (job server, disk) is fine; otherwise 503 with each problem named.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Created now, so that the disk gauge exists from the first scrape on.
        _ = endpoints.ServiceProvider.GetServices<IReadinessCheck>().ToList();
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        endpoints.MapGet("/readyz", (EngineService engine, IEnumerable<IReadinessCheck> checks) =>
        {
            var status = engine.Status;
            var queue = engine.Load;
            var problems = checks.Select(c => (c.Name, Problem: c.Problem())).Where(c => c.Problem is not null)
                .ToDictionary(c => c.Name, c => c.Problem);
            bool ready = status.State == EngineState.Ready && queue.AcceptsInteractive && !engine.Paused && problems.Count == 0;
            return Results.Json(new
            {
                status = ready ? "ready" : "not_ready",
                problems,
                engine = status.State.ToString().ToLowerInvariant(),
                message = status.Message,
                model = status.ModelName,
                running = queue.Running,
                queued = queue.Queued,
            }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
