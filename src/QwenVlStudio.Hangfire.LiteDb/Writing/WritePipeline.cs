using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// Every write of the storage goes through one writer thread that applies the writes waiting at that moment in one
/// LiteDB transaction and commits them together (group commit). LiteDB pays per commit (it rewrites whole pages into
/// its log), so a worker pool committing side by side shares that price instead of queueing for it; and one writer
/// means writes never wait on each other's collection locks. A write that throws is taken out of the group, which is
/// then applied again without it, so one bad write never fails or half-applies its neighbours.
/// </summary>
internal sealed class WritePipeline : IDisposable
{
    private readonly LiteDbFile _file;
    private readonly WriteSession _session;
    private readonly bool _flushEveryCommit;
    private readonly int _maxWritesPerCommit;
    private readonly Queue<WriteRequest> _waiting = new();
    private readonly Thread _writer;
    private bool _stopping;

    public WritePipeline(LiteDbFile file, WriteSession session, LiteDbStorageOptions options)
    {
        _file = file;
        _session = session;
        _flushEveryCommit = options.CommitDurability == LiteDbCommitDurability.PowerLoss;
        _maxWritesPerCommit = options.MaxWritesPerCommit;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Hangfire.LiteDb writer" };
        _writer.Start();
    }

    private LiteDatabase Database => _file.Database;

    /// <summary>How many commits and writes the pipeline has made (the benchmark prints writes per commit).</summary>
    public WriteStatistics Statistics { get; } = new();

    /// <summary>How many writes wait for the writer right now.</summary>
    public int Waiting
    {
        get
        {
            lock (_waiting) return _waiting.Count;
        }
    }

    /// <summary>Applies <paramref name="write"/> in a transaction and returns once it is committed.</summary>
    public T Execute<T>(Func<WriteSession, T> write)
    {
        if (Thread.CurrentThread == _writer)
        {
            throw new InvalidOperationException("A write must not start another write: it would wait for itself.");
        }

        var request = new WriteRequest<T>(write);
        lock (_waiting)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _waiting.Enqueue(request);
            Monitor.Pulse(_waiting);
        }

        return request.WaitForResult();
    }

    /// <summary>Applies <paramref name="write"/> in a transaction and returns once it is committed.</summary>
    public void Execute(Action<WriteSession> write) => Execute(session =>
    {
        write(session);
        return true;
    });

    /// <summary>Stops taking writes, commits those already waiting, and ends the writer thread.</summary>
    public void Dispose()
    {
        lock (_waiting)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.Pulse(_waiting);
        }

        _writer.Join();
    }

    private void WriteLoop()
    {
        while (TakeGroup() is { } group)
        {
            try
            {
                CommitGroup(group);
            }
            catch (Exception ex)
            {
                _session.ForgetCachedDocuments();
                // Nothing may escape the writer thread (every caller would wait forever): the failure goes to the
                // callers whose writes it concerns.
                foreach (var request in group) request.Fail(ex);
            }
        }
    }

    private List<WriteRequest>? TakeGroup()
    {
        lock (_waiting)
        {
            while (_waiting.Count == 0)
            {
                if (_stopping) return null;
                Monitor.Wait(_waiting);
            }

            var group = new List<WriteRequest>(Math.Min(_waiting.Count, _maxWritesPerCommit));
            TakeWaiting(group);
            return group;
        }
    }

    private void CommitGroup(List<WriteRequest> group)
    {
        if (!ApplyGroup(group)) return;

        try
        {
            Database.Commit();
            _file.WaitForLogWrites();
            if (_flushEveryCommit) _file.FlushLogToDisk();
        }
        catch (Exception commitError)
        {
            _session.ForgetCachedDocuments();
            Exception commitFailure = new IOException("The LiteDB commit of Hangfire writes failed.", commitError);
            try
            {
                Database.Rollback();
            }
            catch (Exception rollbackError)
            {
                commitFailure = new IOException(
                    "The LiteDB commit of Hangfire writes failed, and so did rolling it back.",
                    new AggregateException(commitError, rollbackError));
            }

            foreach (var request in group) request.Fail(commitFailure);
            return;
        }

        Statistics.Record(group.Count);
        foreach (var request in group) request.Complete();
    }

    /// <summary>
    /// Applies the group in an open transaction, taking in writes that arrive meanwhile (they share the commit).
    /// A write that throws is failed and removed, and the rest applied again from scratch. Returns false when no
    /// write is left to commit (the transaction is then closed).
    /// </summary>
    private bool ApplyGroup(List<WriteRequest> group)
    {
        BeginTransaction();
        var applied = 0;
        while (true)
        {
            var failed = ApplyUntilFailure(group, applied, out var failure);
            if (failed >= 0)
            {
                // LiteDB has already rolled back when its own operation threw; then there is nothing left to undo.
                Database.Rollback();
                _session.ForgetCachedDocuments();
                group[failed].Fail(failure!);
                group.RemoveAt(failed);
                if (group.Count == 0) return false;
                BeginTransaction();
                applied = 0;
                continue;
            }

            applied = group.Count;
            if (TakeWaiting(group) == 0) return true;
        }
    }

    /// <summary>Moves writes waiting now into <paramref name="group"/>, up to the group limit; returns how many.</summary>
    private int TakeWaiting(List<WriteRequest> group)
    {
        lock (_waiting)
        {
            var taken = 0;
            while (group.Count < _maxWritesPerCommit && _waiting.TryDequeue(out var request))
            {
                group.Add(request);
                taken++;
            }

            return taken;
        }
    }

    private void BeginTransaction()
    {
        if (Database.BeginTrans()) return;

        // A transaction left open by a failure LiteDB did not clean up: discard it rather than writing into it.
        Database.Rollback();
        if (!Database.BeginTrans())
        {
            throw new InvalidOperationException("The LiteDB writer thread cannot start a transaction.");
        }
    }

    private int ApplyUntilFailure(List<WriteRequest> group, int from, out Exception? failure)
    {
        for (var i = from; i < group.Count; i++)
        {
            try
            {
                _session.Begin(group[i].AfterCommit);
                group[i].Apply(_session);
                _session.End();
            }
            catch (Exception ex)
            {
                failure = ex;
                return i;
            }
        }

        failure = null;
        return -1;
    }
}
