using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// The writer's in-memory view of the queue entries: the waiting ones by queue (oldest first) and the fetched ones
/// with their fetch times, so that a fetch finds the next or an abandoned entry without a LiteDB query. The file
/// stays the truth: the view is built from it on first use and after every rollback, and only the writer changes
/// it, next to the documents it mirrors. Only the writer thread may use this class.
/// </summary>
internal sealed class QueueView(Collections collections)
{
    private readonly Dictionary<string, SortedSet<long>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string Queue, DateTime FetchedAt)> _fetched = [];
    private bool _loaded;

    public void Waits(string queue, long entryId)
    {
        if (!_loaded) return; // the next load reads it from the file
        _fetched.Remove(entryId);
        if (!_waiting.TryGetValue(queue, out var ids)) _waiting[queue] = ids = [];
        ids.Add(entryId);
    }

    public void Fetched(string queue, long entryId, DateTime fetchedAt)
    {
        if (!_loaded) return;
        if (_waiting.TryGetValue(queue, out var ids)) ids.Remove(entryId);
        _fetched[entryId] = (queue, fetchedAt);
    }

    public void Removed(long entryId)
    {
        if (_loaded) _fetched.Remove(entryId);
    }

    /// <summary>The oldest waiting entry of <paramref name="queue"/>, if any.</summary>
    public long? FirstWaiting(string queue)
    {
        EnsureLoaded();
        return _waiting.TryGetValue(queue, out var ids) && ids.Count > 0 ? ids.Min : null;
    }

    /// <summary>The entry of <paramref name="queues"/> fetched longest ago, if that was at or before <paramref name="cutoff"/>.</summary>
    public long? FirstAbandoned(IReadOnlyList<string> queues, DateTime cutoff)
    {
        EnsureLoaded();
        long? oldest = null;
        var oldestAt = DateTime.MaxValue;
        foreach (var (entryId, (queue, fetchedAt)) in _fetched)
        {
            if (fetchedAt > cutoff || fetchedAt >= oldestAt || !queues.Contains(queue, StringComparer.Ordinal)) continue;
            oldest = entryId;
            oldestAt = fetchedAt;
        }

        return oldest;
    }

    /// <summary>Drops the view; the next use rebuilds it from the file (after a rollback).</summary>
    public void Invalidate()
    {
        _waiting.Clear();
        _fetched.Clear();
        _loaded = false;
    }

    private void EnsureLoaded()
    {
        if (_loaded) return;
        _waiting.Clear();
        _fetched.Clear();
        foreach (var entry in collections.Queue.FindAll())
        {
            var entryId = entry[Schema.Id].AsInt64;
            var queue = entry[Schema.Queue.QueueName].AsString;
            if (entry[Schema.Queue.WaitKey].IsNull)
            {
                _fetched[entryId] = (queue, new DateTime(entry[Schema.Queue.FetchedAt].AsInt64, DateTimeKind.Utc));
                continue;
            }

            if (!_waiting.TryGetValue(queue, out var ids)) _waiting[queue] = ids = [];
            ids.Add(entryId);
        }

        _loaded = true;
    }
}
