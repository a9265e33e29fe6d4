namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>Sequences waiting for a batch row: interactive before batch priority, first come first served within each.</summary>
internal sealed class WaitingQueue
{
    private readonly SortedSet<BatchMember> _members = new(Comparer<BatchMember>.Create((a, b) =>
        a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Arrival.CompareTo(b.Arrival)));

    public int Count => _members.Count;

    public void Add(BatchMember member) => _members.Add(member);

    public BatchMember? TakeFirst()
    {
        var first = _members.Min;
        if (first is not null) _members.Remove(first);
        return first;
    }

    /// <summary>Removes and returns the members whose caller gave up while they waited.</summary>
    public List<BatchMember> TakeCancelled()
    {
        var cancelled = _members.Where(m => m.Cancellation.IsCancellationRequested).ToList();
        foreach (var member in cancelled) _members.Remove(member);
        return cancelled;
    }

    public List<BatchMember> TakeAll()
    {
        var all = _members.ToList();
        _members.Clear();
        return all;
    }
}
