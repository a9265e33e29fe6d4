namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The right to run one sequence on the engine. Disposing it (idempotent, any thread) frees the slot and admits
/// the next waiting request at once.
/// </summary>
public sealed class SequenceSlot : IDisposable
{
    private readonly SequenceScheduler _owner;
    private int _released;

    internal SequenceSlot(SequenceScheduler owner, WorkPriority priority)
    {
        _owner = owner;
        Priority = priority;
    }

    public WorkPriority Priority { get; }

    public bool IsReleased => Volatile.Read(ref _released) == 1;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _owner.Release();
    }
}
