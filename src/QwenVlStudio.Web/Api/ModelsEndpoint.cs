using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Api;

/// <summary>GET /v1/models: the one loaded model; GET /v1/models/{id}: that model, or 404 for any other id.</summary>
public static class ModelsEndpoint
{
    public static IResult List(HttpContext context, ApiKeyAuthenticator auth, EngineService engine)
    {
        auth.Authenticate(context.Request);
        var name = engine.Status.ModelName;
        var models = name is null ? [] : new[] { Model(name) };
        return Results.Json(new { @object = "list", data = models });
    }

    public static IResult Retrieve(HttpContext context, ApiKeyAuthenticator auth, EngineService engine, string id)
    {
        auth.Authenticate(context.Request);
        var name = engine.Status.ModelName;
        if (name is null || !string.Equals(name, id, StringComparison.Ordinal))
            throw new ApiException(StatusCodes.Status404NotFound, $"The model '{id}' does not exist; GET /v1/models lists the one served.", param: "model", code: "model_not_found");
        return Results.Json(Model(name));
    }

    private static object Model(string name) => new { id = name, @object = "model", created = 0L, owned_by = "qwenvl-studio" };
}
