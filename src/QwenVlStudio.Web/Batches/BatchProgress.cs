namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Counts, speed and estimated time left of a batch, computed from its items at one instant. Every item is in
/// exactly one count, so Done + Failed + Cancelled + Pending + Running = Total.
/// </summary>
public sealed record BatchProgress(
    int Total,
    int Done,
    int Failed,
    int Cancelled,
    int Pending,
    int Running,
    BatchState State,
    double ImagesPerSecond,
    TimeSpan? EstimatedRemaining)
{
    public int Finished => Done + Failed + Cancelled;

    /// <summary>Finished items as a whole percentage (100 only when every item is final).</summary>
    public int Percent => Total == 0 ? 100 : Finished == Total ? 100 : (int)Math.Floor(Finished * 100.0 / Total);

    public static BatchProgress Of(BatchRecord batch, IReadOnlyCollection<BatchItemRecord> items, DateTime nowUtc)
    {
        int done = 0, failed = 0, cancelled = 0, pending = 0, running = 0;
        foreach (var item in items)
        {
            switch (item.Status)
            {
                case BatchItemStatus.Done: done++; break;
                case BatchItemStatus.Failed: failed++; break;
                case BatchItemStatus.Cancelled: cancelled++; break;
                case BatchItemStatus.Pending: pending++; break;
                case BatchItemStatus.Running: running++; break;
            }
        }

        var anyStarted = items.Any(i => i.StartedUtc is not null);
        var state = (batch.CancelledUtc is not null, pending + running) switch
        {
            (true, _) when running > 0 => BatchState.Cancelling,
            (true, _) => BatchState.Cancelled,
            (false, 0) => BatchState.Completed,
            _ when running == 0 && !anyStarted => BatchState.Queued,
            _ => BatchState.Running,
        };

        var rate = Rate(items, pending + running > 0, nowUtc);
        TimeSpan? eta = state is BatchState.Running or BatchState.Queued && rate > 0
            ? TimeSpan.FromSeconds((pending + running) / rate)
            : null;
        return new BatchProgress(items.Count, done, failed, cancelled, pending, running, state, rate, eta);
    }

    /// <summary>
    /// Items processed by a worker per second, from the first start to the last finish (to now while items remain).
    /// Items refused at upload or cancelled before they started never ran and do not count.
    /// </summary>
    private static double Rate(IEnumerable<BatchItemRecord> items, bool active, DateTime nowUtc)
    {
        DateTime? first = null, last = null;
        var processed = 0;
        foreach (var item in items)
        {
            if (item.StartedUtc is not { } started)
                continue;
            if (first is null || started < first)
                first = started;
            if (item.Status is BatchItemStatus.Done or BatchItemStatus.Failed && item.FinishedUtc is { } finished)
            {
                processed++;
                if (last is null || finished > last)
                    last = finished;
            }
        }

        var end = active ? nowUtc : last;
        if (first is null || end is null || processed == 0)
            return 0;
        var seconds = (end.Value - first.Value).TotalSeconds;
        return seconds > 0 ? processed / seconds : 0;
    }
}
