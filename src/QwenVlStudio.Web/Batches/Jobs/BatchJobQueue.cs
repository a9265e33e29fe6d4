using Hangfire;
using Hangfire.States;

namespace QwenVlStudio.Web.Batches.Jobs;

/// <summary>Puts items on the Hangfire "batch" queue (one job per item) and takes their jobs off again.</summary>
public sealed class BatchJobQueue(IBackgroundJobClient jobs, BatchStore store)
{
    public const string QueueName = "batch";

    /// <summary>Enqueues a job for the item and remembers its id on the item.</summary>
    public string Enqueue(Guid itemId)
    {
        var jobId = jobs.Create<BatchItemJob>(job => job.RunAsync(itemId, CancellationToken.None), new EnqueuedState(QueueName));
        store.SetJobId(itemId, jobId);
        return jobId;
    }

    /// <summary>Deletes a queued job (its worker skips it); a job already gone is fine.</summary>
    public void Delete(string? jobId)
    {
        if (jobId is not null)
            jobs.Delete(jobId);
    }
}
