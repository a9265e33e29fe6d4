namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Admits requests to the engine: at most <c>maxConcurrent</c> sequences run at once; the rest wait in one FIFO
/// queue per <see cref="WorkPriority"/>, each bounded (one more is refused with <see cref="EngineBusyException"/>
/// rather than left hanging). A free slot always goes to the oldest waiter of the most urgent class. Waiters
/// learn their place in line through a callback; a cancelled waiter leaves the queue at once.
/// </summary>
public sealed class SequenceScheduler
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter>[] _queues;
    private int _maxConcurrent;
    private int _maxQueueLength;
    private int _running;
    private bool _paused;
    private TaskCompletionSource? _drained;

    public SequenceScheduler(int maxConcurrent, int maxQueueLength)
    {
        ValidateLimits(maxConcurrent, maxQueueLength);
        _maxConcurrent = maxConcurrent;
        _maxQueueLength = maxQueueLength;
        _queues = Enum.GetValues<WorkPriority>().Select(_ => new LinkedList<Waiter>()).ToArray();
    }

    /// <summary>Raised (outside the scheduler's lock) after every admission, release, enqueue and cancellation.</summary>
    public event Action? Changed;

    public SchedulerSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new SchedulerSnapshot(
                _running, _maxConcurrent,
                _queues[(int)WorkPriority.Interactive].Count, _queues[(int)WorkPriority.Batch].Count,
                _maxQueueLength, _paused);
        }
    }

    /// <summary>
    /// Waits for a slot. <paramref name="onQueuePosition"/> receives the 1-based place in line whenever it changes
    /// while waiting (not called when a slot is free at once); it runs on the thread that changed the queue, so it
    /// must be quick and must not throw.
    /// </summary>
    /// <exception cref="EngineBusyException">The queue of this priority class is full.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting; the request left the queue.</exception>
    public async Task<SequenceSlot> AcquireAsync(
        WorkPriority priority, Action<int>? onQueuePosition, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter? waiter = null;
        List<(Waiter, int)> positions = [];
        lock (_gate)
        {
            if (_paused || _running >= _maxConcurrent || AnyWaitingLocked())
            {
                var queue = _queues[(int)priority];
                if (queue.Count >= _maxQueueLength)
                    throw new EngineBusyException(priority, _maxQueueLength);
                waiter = new Waiter(priority, onQueuePosition);
                waiter.Node = queue.AddLast(waiter);
                positions = CollectPositionChangesLocked();
            }
            else
            {
                _running++;
            }
        }

        AfterChange([], positions);
        if (waiter is null)
            return new SequenceSlot(this, priority);

        await using var registration = cancellationToken.Register(() => CancelWaiting(waiter, cancellationToken));
        return await waiter.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Changes the limits live; extra capacity admits waiters at once, less lets running ones finish.</summary>
    public void Reconfigure(int maxConcurrent, int maxQueueLength)
    {
        ValidateLimits(maxConcurrent, maxQueueLength);
        List<Waiter> granted;
        List<(Waiter, int)> positions;
        lock (_gate)
        {
            _maxConcurrent = maxConcurrent;
            _maxQueueLength = maxQueueLength;
            granted = AdmitLocked();
            positions = CollectPositionChangesLocked();
        }

        AfterChange(granted, positions);
    }

    /// <summary>
    /// Stops admitting (waiters stay queued) and completes when no slot is held any more. Used to drain before the
    /// engine is rebuilt; <see cref="Resume"/> admits again.
    /// </summary>
    public Task PauseAndDrainAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            _paused = true;
            if (_running == 0)
            {
                drained = Task.CompletedTask;
            }
            else
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        Changed?.Invoke();
        return drained.WaitAsync(cancellationToken);
    }

    public void Resume()
    {
        List<Waiter> granted;
        List<(Waiter, int)> positions;
        lock (_gate)
        {
            _paused = false;
            granted = AdmitLocked();
            positions = CollectPositionChangesLocked();
        }

        AfterChange(granted, positions);
    }

    internal void Release()
    {
        List<Waiter> granted;
        List<(Waiter, int)> positions;
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            _running--;
            granted = AdmitLocked();
            positions = CollectPositionChangesLocked();
            if (_paused && _running == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
        AfterChange(granted, positions);
    }

    private void CancelWaiting(Waiter waiter, CancellationToken cancellationToken)
    {
        List<(Waiter, int)> positions;
        lock (_gate)
        {
            // Already admitted: the caller owns the slot and disposes it when it sees the cancellation.
            if (waiter.Node is null)
                return;
            _queues[(int)waiter.Priority].Remove(waiter.Node);
            waiter.Node = null;
            positions = CollectPositionChangesLocked();
        }

        waiter.Completion.TrySetCanceled(cancellationToken);
        AfterChange([], positions);
    }

    private List<Waiter> AdmitLocked()
    {
        var granted = new List<Waiter>();
        while (!_paused && _running < _maxConcurrent)
        {
            var queue = _queues.FirstOrDefault(q => q.Count > 0);
            if (queue is null)
                break;
            var waiter = queue.First!.Value;
            queue.RemoveFirst();
            waiter.Node = null;
            _running++;
            granted.Add(waiter);
        }

        return granted;
    }

    private List<(Waiter, int)> CollectPositionChangesLocked()
    {
        var changes = new List<(Waiter, int)>();
        var position = 0;
        foreach (var waiter in _queues.SelectMany(q => q))
        {
            position++;
            if (waiter.ReportedPosition != position && waiter.OnPosition is not null)
                changes.Add((waiter, position));
            waiter.ReportedPosition = position;
        }

        return changes;
    }

    private bool AnyWaitingLocked() => _queues.Any(q => q.Count > 0);

    private void AfterChange(List<Waiter> granted, List<(Waiter Waiter, int Position)> positions)
    {
        foreach (var waiter in granted)
        {
            if (!waiter.Completion.TrySetResult(new SequenceSlot(this, waiter.Priority)))
                Release(); // cancelled in the same instant: hand the slot on
        }

        foreach (var (waiter, position) in positions)
            waiter.OnPosition!(position);
        Changed?.Invoke();
    }

    private static void ValidateLimits(int maxConcurrent, int maxQueueLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueueLength, 1);
    }

    private sealed class Waiter(WorkPriority priority, Action<int>? onPosition)
    {
        public WorkPriority Priority { get; } = priority;
        public Action<int>? OnPosition { get; } = onPosition;
        public TaskCompletionSource<SequenceSlot> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
        public int ReportedPosition { get; set; }
    }
}
