namespace QwenVlStudio.Hangfire.LiteDb.Locking;

/// <summary>One acquisition of a distributed lock; disposing it (once) releases that acquisition.</summary>
internal sealed class LockHandle(DistributedLocks locks, object owner, string resource, Action<LockHandle> onRelease)
    : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        locks.Release(owner, resource);
        onRelease(this);
    }
}
