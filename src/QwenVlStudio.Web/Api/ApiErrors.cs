using System.Text.Json;

namespace QwenVlStudio.Web.Api;

/// <summary>Writes errors as OpenAI's clients expect them.</summary>
public static class ApiErrors
{
    public static async Task WriteAsync(HttpContext context, ApiException error)
    {
        context.Response.StatusCode = error.Status;
        if (error.RetryAfter is { } retry)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString();
        if (error.Status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Json(error), context.RequestAborted);
    }

    public static string Json(ApiException error) => JsonSerializer.Serialize(new
    {
        error = new { message = error.Message, type = error.Type, param = error.Param, code = error.Code },
    });
}
