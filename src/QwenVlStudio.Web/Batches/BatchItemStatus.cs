namespace QwenVlStudio.Web.Batches;

/// <summary>Where one image of a batch stands. Done, Failed and Cancelled are final until the user retries.</summary>
public enum BatchItemStatus
{
    /// <summary>Waiting for a worker (its Hangfire job is queued).</summary>
    Pending,

    /// <summary>A worker has claimed it and the engine is (or is about to be) working on it.</summary>
    Running,

    Done,

    Failed,

    Cancelled,
}

public static class BatchItemStatusExtensions
{
    public static bool IsFinal(this BatchItemStatus status) =>
        status is BatchItemStatus.Done or BatchItemStatus.Failed or BatchItemStatus.Cancelled;
}
