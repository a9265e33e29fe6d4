namespace QwenVlStudio.Web.Observability;

/// <summary>One second of the server's life, as the monitor page and the /hubs/metrics hub show it.</summary>
public sealed record MetricsSample(
    DateTime TimeUtc,
    double CpuPercent,
    double WorkingSetMb,
    double GcHeapMb,
    int ThreadPoolThreads,
    long ThreadPoolQueue,
    double TokensPerSecond,
    double TtftP50Ms,
    double TtftP95Ms,
    double LatencyP50Ms,
    double LatencyP95Ms,
    int QueuedInteractive,
    int QueuedBatch,
    int ActiveSequences)
{
    public int Queued => QueuedInteractive + QueuedBatch;

    /// <summary>Batch items finished per second (done, failed or cancelled).</summary>
    public double BatchItemsPerSecond { get; init; }
}
