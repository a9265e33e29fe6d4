namespace QwenVlStudio.Hangfire.LiteDb.Fetching;

/// <summary>
/// Wakes idle workers when a commit has put entries into a queue (or back into one), so that a job enqueued by this
/// process starts without waiting for the next poll. A generation number keeps a wake-up from being missed between a
/// worker's empty fetch and its wait.
/// </summary>
internal sealed class QueueSignal
{
    private readonly object _gate = new();
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public void Notify()
    {
        lock (_gate)
        {
            _generation++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Waits until a notification newer than <paramref name="seenGeneration"/>, the timeout, or cancellation;
    /// returns whether a notification came.
    /// </summary>
    public bool Wait(long seenGeneration, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Notify);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_generation == seenGeneration && !cancellationToken.IsCancellationRequested)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) return false;
                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
            }

            return _generation != seenGeneration;
        }
    }
}
