namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// The bytes the engine may commit to requests at once. A request reserves its <see cref="MemoryEstimate"/> before
/// prefill and frees it when it ends; what cannot fit is refused up front instead of pushing the host into swap or
/// the OOM killer. A budget of 0 admits everything. Thread-safe.
/// </summary>
public sealed class MemoryBudget(long budgetBytes)
{
    private readonly object _gate = new();
    private long _reserved;

    public long BudgetBytes { get; } = Math.Max(0, budgetBytes);

    public bool Enabled => BudgetBytes > 0;

    public long ReservedBytes
    {
        get
        {
            lock (_gate)
                return _reserved;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> until the lease is disposed.</summary>
    /// <exception cref="MemoryBudgetExceededException">It can never fit, or does not fit beside the running requests.</exception>
    public IDisposable Reserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!Enabled)
            return new Lease(null, 0);
        if (bytes > BudgetBytes)
        {
            throw new MemoryBudgetExceededException(bytes, BudgetBytes, BudgetBytes, fitsWhenIdle: false,
                $"this request needs about {Mib(bytes)} MiB of memory (prompt, answer budget and images) but the server's budget is {Mib(BudgetBytes)} MiB; " +
                "shorten the conversation, ask for fewer max tokens, or send fewer or smaller images");
        }
        lock (_gate)
        {
            long free = BudgetBytes - _reserved;
            if (bytes > free)
            {
                throw new MemoryBudgetExceededException(bytes, free, BudgetBytes, fitsWhenIdle: true,
                    $"the server is busy: this request needs about {Mib(bytes)} MiB of memory and {Mib(free)} MiB are free beside the requests running; try again shortly");
            }
            _reserved += bytes;
        }
        return new Lease(this, bytes);
    }

    private void Release(long bytes)
    {
        lock (_gate)
            _reserved -= bytes;
    }

    private static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    private sealed class Lease(MemoryBudget? budget, long bytes) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                budget?.Release(bytes);
        }
    }
}
