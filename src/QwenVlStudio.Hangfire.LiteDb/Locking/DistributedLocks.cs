using Hangfire.Storage;

namespace QwenVlStudio.Hangfire.LiteDb.Locking;

/// <summary>
/// Hangfire's distributed locks for a storage whose file is owned by one process: every party that could contend
/// for a lock lives in this process, so the locks live in its memory. A lock is owned by a connection and is
/// re-entrant for it (as SQL Server's session locks and Hangfire.InMemory's are); other connections wait up to
/// their timeout. Locks die with the process, exactly like the file's other owners.
/// </summary>
internal sealed class DistributedLocks
{
    private readonly Dictionary<string, LockState> _locks = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="resource"/> for <paramref name="owner"/> or throws <see cref="DistributedLockTimeoutException"/>.</summary>
    public void Acquire(object owner, string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The lock timeout must not be negative.");
        }

        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_locks)
        {
            while (true)
            {
                if (!_locks.TryGetValue(resource, out var state))
                {
                    _locks.Add(resource, new LockState(owner));
                    return;
                }

                if (ReferenceEquals(state.Owner, owner))
                {
                    state.Depth++;
                    return;
                }

                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) throw new DistributedLockTimeoutException(resource);
                Monitor.Wait(_locks, (int)Math.Min(remaining, int.MaxValue));
            }
        }
    }

    /// <summary>Releases one acquisition of <paramref name="resource"/> by <paramref name="owner"/>.</summary>
    public void Release(object owner, string resource)
    {
        lock (_locks)
        {
            if (!_locks.TryGetValue(resource, out var state) || !ReferenceEquals(state.Owner, owner))
            {
                throw new InvalidOperationException($"The lock '{resource}' is not held by this connection.");
            }

            if (--state.Depth > 0) return;
            _locks.Remove(resource);
            Monitor.PulseAll(_locks);
        }
    }

    private sealed class LockState(object owner)
    {
        public object Owner { get; } = owner;
        public int Depth { get; set; } = 1;
    }
}
