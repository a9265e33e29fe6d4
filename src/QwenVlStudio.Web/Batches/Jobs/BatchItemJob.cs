using Hangfire;
using Microsoft.Extensions.Logging;

namespace QwenVlStudio.Web.Batches.Jobs;

/// <summary>
/// The Hangfire job of one batch item. Idempotent: an item that already has its result, or that another worker of
/// this process holds, is left alone, so a job handed out twice (after a crash, or re-enqueued at start) neither
/// processes an item twice nor writes its result twice. When the server stops mid-item, the item goes back to
/// pending and the job is handed out again after the restart.
/// </summary>
public sealed class BatchItemJob(
    BatchStore store,
    RunningItems running,
    BatchItemProcessor processor,
    BatchEvents events,
    BatchMetrics metrics,
    ILogger<BatchItemJob> logger)
{
    [JobDisplayName("Batch item {0}")]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid itemId, CancellationToken cancellationToken)
    {
        var item = store.FindItem(itemId);
        if (item is null || item.Status.IsFinal())
            return; // deleted with its batch, or finished by an earlier run of this job
        using var lease = running.TryEnter(item.BatchId, itemId);
        if (lease is null)
            return; // another job of this process is on it
        var claimed = store.TryClaim(itemId);
        var batch = claimed is null ? null : store.FindBatch(claimed.BatchId);
        if (claimed is null || batch is null)
            return; // finished meanwhile, batch cancelled or deleted
        events.Raise(batch.Id, batch.OwnerId);

        BatchItemOutcome outcome;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.CancelledByUser);
        try
        {
            var image = store.ReadImage(claimed);
            outcome = image is null
                ? BatchItemOutcome.Failed("The image is no longer in storage.")
                : await processor.ProcessAsync(batch, claimed, image, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.CancelledByUser.IsCancellationRequested)
        {
            outcome = BatchItemOutcome.Cancelled("Cancelled while it was running.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: not a result. Hangfire requeues the unacknowledged job; the item waits for it.
            store.Release(itemId);
            events.Raise(batch.Id, batch.OwnerId);
            throw;
        }
        catch (Exception ex)
        {
            // A fault of this server, not of the item's input: logged with its stack, shown on the item; retry is possible.
            logger.LogError(ex, "Batch {Batch} item {Item} failed", batch.Id, itemId);
            outcome = BatchItemOutcome.Failed($"Processing failed: {ex.Message}");
        }

        if (store.Finish(itemId, outcome))
            metrics.ItemFinished(outcome.Status);
        events.Raise(batch.Id, batch.OwnerId);
    }
}
