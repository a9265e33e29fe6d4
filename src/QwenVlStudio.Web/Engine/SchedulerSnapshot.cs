namespace QwenVlStudio.Web.Engine;

/// <summary>What the scheduler holds right now (for the settings page, /readyz and the metrics to come).</summary>
public sealed record SchedulerSnapshot(
    int RunningSequences,
    int MaxConcurrentSequences,
    int QueuedInteractive,
    int QueuedBatch,
    int MaxQueueLength,
    bool Paused)
{
    public int Queued => QueuedInteractive + QueuedBatch;

    public bool AcceptsInteractive => QueuedInteractive < MaxQueueLength;
}
