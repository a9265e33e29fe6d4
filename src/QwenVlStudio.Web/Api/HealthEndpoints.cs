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
            var queue = engine.Load;
            bool ready = status.State == EngineState.Ready && queue.AcceptsInteractive && !engine.Paused;
            return Results.Json(new
            {
                status = ready ? "ready" : "not_ready",
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
