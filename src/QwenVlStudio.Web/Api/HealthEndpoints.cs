using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>/healthz: the process answers. /readyz: the model is loaded and the interactive queue has room.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        endpoints.MapGet("/readyz", (EngineService engine) =>
        {
            var status = engine.Status;
            var queue = engine.Scheduler.Snapshot();
            bool ready = status.State == EngineState.Ready && queue.AcceptsInteractive && !queue.Paused;
            return Results.Json(new
            {
                status = ready ? "ready" : "not_ready",
                engine = status.State.ToString().ToLowerInvariant(),
                message = status.Message,
                model = status.ModelName,
                running = queue.RunningSequences,
                queued = queue.Queued,
            }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}
