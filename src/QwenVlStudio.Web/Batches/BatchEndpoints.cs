using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Batches.Export;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Downloads and data of one batch, for its owner only (another user's batch answers 404 like a missing one):
/// results as CSV and JSON Lines, progress as JSON, and item thumbnails.
/// </summary>
public static class BatchEndpoints
{
    public static IEndpointRouteBuilder MapBatchEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var batch = endpoints.MapGroup("/batch/{batchId:guid}").RequireAuthorization();

        batch.MapGet("/results.csv", (Guid batchId, HttpContext context, BatchStore store) =>
            Download(context, store, batchId, "csv", "text/csv; charset=utf-8", BatchExport.WriteCsvAsync));

        batch.MapGet("/results.jsonl", (Guid batchId, HttpContext context, BatchStore store) =>
            Download(context, store, batchId, "jsonl", "application/jsonl; charset=utf-8", BatchExport.WriteJsonLinesAsync));

        batch.MapGet("/progress", (Guid batchId, HttpContext context, BatchService batches) =>
            batches.Progress(context.User.UserId(), batchId) is { } progress
                ? Results.Json(new
                {
                    progress.Total, progress.Done, progress.Failed, progress.Cancelled, progress.Pending, progress.Running,
                    State = progress.State.ToString(), progress.Percent, progress.ImagesPerSecond,
                    EtaSeconds = progress.EstimatedRemaining?.TotalSeconds,
                })
                : Results.NotFound());

        batch.MapGet("/items/{itemId:guid}/thumbnail", (Guid batchId, Guid itemId, HttpContext context, BatchStore store, BatchThumbnails thumbnails) =>
        {
            var item = store.FindItem(context.User.UserId(), itemId);
            var jpeg = item is null || item.BatchId != batchId ? null : thumbnails.Get(item);
            if (jpeg is null)
                return Results.NotFound();
            context.Response.Headers.CacheControl = "private, max-age=86400";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(jpeg, "image/jpeg");
        });
        // The item's image with the boxes of its JSON answer (Qwen3-VL bbox_2d, 0–1000 grid) drawn on it.
        batch.MapGet("/items/{itemId:guid}/boxes", (Guid batchId, Guid itemId, HttpContext context, BatchStore store) =>
        {
            var item = store.FindItem(context.User.UserId(), itemId);
            if (item is null || item.BatchId != batchId || store.ReadImage(item) is not { } image)
                return Results.NotFound();
            if (BatchGrounding.Draw(item, image) is not { } png)
                return Results.NotFound();
            context.Response.Headers.CacheControl = "private, no-cache";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(png, "image/png");
        });
        return endpoints;
    }

    private static IResult Download(
        HttpContext context, BatchStore store, Guid batchId, string extension, string contentType,
        Func<Stream, BatchRecord, IEnumerable<BatchItemRecord>, CancellationToken, Task> write)
    {
        var owner = context.User.UserId();
        var batch = store.Find(owner, batchId);
        if (batch is null)
            return Results.NotFound();
        var items = store.Items(owner, batchId);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(
            body => write(body, batch, items, context.RequestAborted),
            contentType,
            BatchExport.FileName(batch, extension));
    }
}
