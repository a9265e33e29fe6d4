using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Uploads;

public static class ImageEndpoints
{
    /// <summary>
    /// GET /images/{id}: the signed-in user's own uploads only; another user's image answers 404 exactly like a
    /// missing one, so ids cannot be probed.
    /// </summary>
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/images/{id}", (string id, HttpContext context, ImageStore images) =>
        {
            var owner = context.User.UserId();
            var record = images.Find(owner, id);
            var bytes = record is null ? null : images.ReadBytes(owner, id);
            if (record is null || bytes is null)
                return Results.NotFound();
            context.Response.Headers.CacheControl = "private, max-age=86400";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(bytes, record.ContentType);
        }).RequireAuthorization();
        return endpoints;
    }
}
