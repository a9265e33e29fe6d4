namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>
/// The engine's one request queue: a bounded FIFO per <see cref="RequestPriority"/> class, Interactive served
/// before Batch. One more request than a class holds is refused with <see cref="EngineBusyException"/> rather
/// than left hanging. Places in line are counted over both classes (an interactive request arriving later moves
/// ahead of waiting batch work, so their places change), and <see cref="TakePositionChanges"/> tells who moved.
/// Not thread-safe: the engine loop (or a test engine) calls it under its own lock.
/// </summary>
public sealed class EngineRequestQueue<T> where T : class
{
    private readonly LinkedList<Entry>[] _classes = Enum.GetValues<RequestPriority>().Select(_ => new LinkedList<Entry>()).ToArray();
    private readonly Dictionary<T, LinkedListNode<Entry>> _nodes = new(ReferenceEqualityComparer.Instance);

    public EngineRequestQueue(int maxPerClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerClass, 1);
        MaxPerClass = maxPerClass;
    }

    /// <summary>Requests one class may hold (preempted work put back at the front does not count against it).</summary>
    public int MaxPerClass { get; }

    public int Count => _nodes.Count;

    public int CountOf(RequestPriority priority) => _classes[(int)priority].Count;

    /// <summary>Queues at the back of its class.</summary>
    /// <exception cref="EngineBusyException">The class already holds <see cref="MaxPerClass"/> requests.</exception>
    public void Enqueue(T item, RequestPriority priority)
    {
        var queue = _classes[(int)priority];
        if (queue.Count >= MaxPerClass) throw new EngineBusyException(priority, MaxPerClass);
        _nodes.Add(item, queue.AddLast(new Entry(item, priority)));
    }

    /// <summary>Puts work that was already running (preempted) back at the front of its class, ahead of newer arrivals.</summary>
    public void EnqueueFirst(T item, RequestPriority priority) =>
        _nodes.Add(item, _classes[(int)priority].AddFirst(new Entry(item, priority)));

    /// <summary>The most urgent class's oldest request and its class, without taking it.</summary>
    public (T Item, RequestPriority Priority)? Peek()
    {
        foreach (var queue in _classes)
            if (queue.First is { } first)
                return (first.Value.Item, first.Value.Priority);
        return null;
    }

    public T? Dequeue()
    {
        if (Peek() is not { } next) return null;
        Remove(next.Item);
        return next.Item;
    }

    /// <summary>Takes a request out of line (its caller gave up); false when it is not queued.</summary>
    public bool Remove(T item)
    {
        if (!_nodes.Remove(item, out var node)) return false;
        node.List!.Remove(node);
        return true;
    }

    /// <summary>Queued requests that satisfy <paramref name="match"/>, in line order.</summary>
    public List<T> Where(Func<T, bool> match) => _classes.SelectMany(q => q).Select(e => e.Item).Where(match).ToList();

    /// <summary>
    /// Each queued request whose 1-based place in line differs from the one last reported for it, with its place
    /// now; the places are then recorded as reported.
    /// </summary>
    public List<(T Item, int Position)> TakePositionChanges()
    {
        var changes = new List<(T, int)>();
        int position = 0;
        foreach (var entry in _classes.SelectMany(q => q))
        {
            position++;
            if (entry.ReportedPosition != position) changes.Add((entry.Item, position));
            entry.ReportedPosition = position;
        }
        return changes;
    }

    public List<T> Clear()
    {
        var all = _classes.SelectMany(q => q).Select(e => e.Item).ToList();
        foreach (var queue in _classes) queue.Clear();
        _nodes.Clear();
        return all;
    }

    private sealed class Entry(T item, RequestPriority priority)
    {
        public T Item { get; } = item;
        public RequestPriority Priority { get; } = priority;
        public int ReportedPosition { get; set; }
    }
}
