using QwenVlStudio.Inference;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// Makes every answer under /v1 an OpenAI-shaped error when it is one: an error status without a body (405 from
/// routing, 413 from Kestrel's body limit, 400 from a bad request line) gets the JSON body the SDKs parse, and an
/// <see cref="ApiException"/> thrown by an endpoint is answered as itself, and any other exception that escapes becomes a 500 <c>server_error</c> instead of the dashboard's HTML error page.
/// </summary>
public sealed class OpenAiErrorMiddleware(RequestDelegate next, ILogger<OpenAiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiErrors.WriteAsync(context, e);
            return;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiErrors.WriteAsync(context, new ApiException(e.StatusCode, e.Message));
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Unhandled error answering {Method} {Path}", context.Request.Method, context.Request.Path);
            var message = e is QwenVlException ? e.Message : "The server had an error while processing the request.";
            await ApiErrors.WriteAsync(context, new ApiException(StatusCodes.Status500InternalServerError, message, "server_error", code: "internal_error"));
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null or 0 && response.ContentType is null)
            await ApiErrors.WriteAsync(context, ForStatus(response.StatusCode));
    }

    private static ApiException ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => new ApiException(status, "Unknown API route.", code: "not_found"),
        StatusCodes.Status405MethodNotAllowed => new ApiException(status, "This API route does not accept that method.", code: "method_not_allowed"),
        StatusCodes.Status413PayloadTooLarge => new ApiException(status, "The request body is too large.", code: "request_too_large"),
        StatusCodes.Status401Unauthorized => new ApiException(status, "Missing or invalid API key.", code: "invalid_api_key"),
        >= 500 => new ApiException(status, "The server had an error while processing the request.", "server_error"),
        _ => new ApiException(status, $"The request failed with status {status}."),
    };
}
