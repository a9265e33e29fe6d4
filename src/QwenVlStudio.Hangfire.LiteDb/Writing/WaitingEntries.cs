using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// The writer's in-memory view of the queue entries waiting in each queue (their ids, oldest first), so that a
/// fetch finds the next entry without a LiteDB query. The file's WaitKey index stays the truth: this view is
/// (re)built from it on first use and after every rollback, and is changed only by the writer, next to the
/// documents it mirrors. Only the writer thread may use this class.
/// </summary>
internal sealed class WaitingEntries(Collections collections)
{
    private readonly Dictionary<string, SortedSet<long>> _byQueue = new(StringComparer.Ordinal);
    private bool _loaded;

    public void Add(string queue, long entryId)
    {
        if (!_loaded) return; // the next load reads it from the file
        if (!_byQueue.TryGetValue(queue, out var ids)) _byQueue[queue] = ids = [];
        ids.Add(entryId);
    }

    public void Remove(string queue, long entryId)
    {
        if (_loaded && _byQueue.TryGetValue(queue, out var ids)) ids.Remove(entryId);
    }

    /// <summary>The oldest waiting entry of <paramref name="queue"/>, if any.</summary>
    public long? First(string queue)
    {
        EnsureLoaded();
        return _byQueue.TryGetValue(queue, out var ids) && ids.Count > 0 ? ids.Min : null;
    }

    /// <summary>Drops the view; the next use rebuilds it from the file (after a rollback).</summary>
    public void Invalidate()
    {
        _byQueue.Clear();
        _loaded = false;
    }

    private void EnsureLoaded()
    {
        if (_loaded) return;
        _byQueue.Clear();
        foreach (var entry in collections.Queue.FindAll())
        {
            if (entry[Schema.Queue.WaitKey].IsNull) continue;
            var queue = entry[Schema.Queue.QueueName].AsString;
            if (!_byQueue.TryGetValue(queue, out var ids)) _byQueue[queue] = ids = [];
            ids.Add(entry[Schema.Id].AsInt64);
        }

        _loaded = true;
    }
}
