namespace QwenVlStudio.Web.Batches;

/// <summary>
/// The items this process is working on, each with a token that cancelling its batch trips. An item can be held
/// by one worker at a time: a second job for the same item (a re-enqueue after a restart) finds it taken and leaves.
/// </summary>
public sealed class RunningItems
{
    private readonly Dictionary<Guid, Entry> _items = [];
    private readonly object _gate = new();

    /// <summary>Takes the item for this worker; null when another worker of this process holds it.</summary>
    public Lease? TryEnter(Guid batchId, Guid itemId)
    {
        lock (_gate)
        {
            if (_items.ContainsKey(itemId))
                return null;
            var entry = new Entry(batchId, new CancellationTokenSource());
            _items[itemId] = entry;
            return new Lease(this, itemId, entry.Cancellation);
        }
    }

    public bool IsRunning(Guid itemId)
    {
        lock (_gate)
            return _items.ContainsKey(itemId);
    }

    /// <summary>Trips the token of every item of the batch that a worker holds now.</summary>
    public void CancelBatch(Guid batchId)
    {
        List<CancellationTokenSource> toCancel;
        lock (_gate)
            toCancel = _items.Values.Where(e => e.BatchId == batchId).Select(e => e.Cancellation).ToList();
        foreach (var cancellation in toCancel)
            cancellation.Cancel();
    }

    // The source is not disposed: CancelBatch may still be cancelling it on another thread, and a source without a
    // timer holds nothing that the garbage collector does not reclaim.
    private void Exit(Guid itemId)
    {
        lock (_gate)
            _items.Remove(itemId);
    }

    private sealed record Entry(Guid BatchId, CancellationTokenSource Cancellation);

    /// <summary>A worker's hold on an item; dispose to let it go.</summary>
    public sealed class Lease(RunningItems owner, Guid itemId, CancellationTokenSource cancellation) : IDisposable
    {
        /// <summary>Tripped when the user cancels (or deletes) the item's batch.</summary>
        public CancellationToken CancelledByUser { get; } = cancellation.Token;

        public void Dispose() => owner.Exit(itemId);
    }
}
