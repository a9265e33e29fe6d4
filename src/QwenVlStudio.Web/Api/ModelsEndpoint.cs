using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>GET /v1/models: the one loaded model.</summary>
public static class ModelsEndpoint
{
    public static IResult Handle(HttpContext context, ApiKeyAuthenticator auth, EngineService engine)
    {
        auth.Authenticate(context.Request);
        var name = engine.Status.ModelName;
        var models = name is null ? [] : new[] { new { id = name, @object = "model", created = 0L, owned_by = "qwenvl-studio" } };
        return Results.Json(new { @object = "list", data = models });
    }
}
