namespace QwenVlStudio.Web.Hosting;

/// <summary>
/// Headers on every response: no page of the app (the dashboard, /hangfire) may be framed by another site
/// (clickjacking), the browser never guesses a content type (an uploaded image served as HTML), and no address leaks
/// to other sites in Referer. The CSP sets only frame-ancestors, so it restricts nothing Blazor or MudBlazor load.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
