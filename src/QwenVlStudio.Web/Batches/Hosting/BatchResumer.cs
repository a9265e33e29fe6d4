using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QwenVlStudio.Web.Batches.Jobs;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>
/// At start, gives every unfinished item a live job: an item whose job is missing or over (the process stopped
/// between storing it and enqueueing it, the job store does not survive restarts, or someone deleted the job in
/// the dashboard) is enqueued again. Jobs are idempotent, so an extra one is harmless. Items of a cancelled batch
/// that were running when the process ended are marked cancelled.
/// </summary>
public sealed class BatchResumer(
    BatchStore store, BatchJobQueue queue, JobStorage storage, RunningItems running, BatchEvents events, ILogger<BatchResumer> logger)
    : IHostedService
{
    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase)
    {
        EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var requeued = Resume();
            if (requeued > 0)
                logger.LogInformation("Re-enqueued {Count} unfinished batch item(s)", requeued);
        }
        catch (Exception ex)
        {
            // The app still starts (chat does not depend on batches); the items wait for the next start or a retry.
            logger.LogError(ex, "Resuming unfinished batch items failed");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns how many items got a new job.</summary>
    public int Resume()
    {
        var requeued = 0;
        using var connection = storage.GetConnection();
        foreach (var group in store.Unfinished().GroupBy(i => i.BatchId))
        {
            var batch = store.FindBatch(group.Key);
            if (batch is null)
                continue;
            if (batch.CancelledUtc is not null)
            {
                store.Cancel(batch.OwnerId, batch.Id, running.IsRunning);
                events.Raise(batch.Id, batch.OwnerId);
                continue;
            }

            foreach (var item in group)
            {
                var state = item.JobId is null ? null : connection.GetStateData(item.JobId)?.Name;
                if (state is not null && LiveStates.Contains(state))
                    continue;
                queue.Enqueue(item.Id);
                requeued++;
            }
        }

        return requeued;
    }
}
