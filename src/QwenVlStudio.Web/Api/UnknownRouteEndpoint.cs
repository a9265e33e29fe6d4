namespace QwenVlStudio.Web.Api;

/// <summary>
/// Any /v1 path no endpoint takes: 405 (with Allow) for a known route asked with another method, else 404, both in
/// OpenAI's error shape, so an SDK pointed at the server reports the real problem instead of failing to parse HTML.
/// </summary>
public static class UnknownRouteEndpoint
{
    /// <summary>The /v1 routes and their one method; <c>*</c> stands for one path segment.</summary>
    private static readonly (string Path, string Method)[] Routes =
    [
        ("/v1/chat/completions", HttpMethods.Post),
        ("/v1/models", HttpMethods.Get),
        ("/v1/models/*", HttpMethods.Get),
    ];

    public static async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        var known = Routes.FirstOrDefault(r => Matches(r.Path, path));
        if (known.Path is not null)
        {
            context.Response.Headers.Allow = known.Method;
            await ApiErrors.WriteAsync(context, new ApiException(StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Method} is not allowed on {path}; use {known.Method}.", code: "method_not_allowed"));
            return;
        }
        await ApiErrors.WriteAsync(context, new ApiException(StatusCodes.Status404NotFound,
            $"Unknown API route: {context.Request.Method} {path}.", code: "not_found"));
    }

    private static bool Matches(string pattern, string path)
    {
        var patternSegments = pattern.Split('/');
        var pathSegments = path.Split('/');
        return patternSegments.Length == pathSegments.Length
            && patternSegments.Zip(pathSegments).All(p => p.First == "*" ? p.Second.Length > 0 : string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }
}
