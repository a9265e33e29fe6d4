using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>
/// Hangfire's write-only transaction: calls are checked and buffered at once, then applied together, atomically, on
/// <see cref="Commit"/> (one write of the storage's writer, hence one LiteDB transaction). Locks it acquired are
/// released after the commit or on dispose.
/// </summary>
internal sealed class LiteDbWriteTransaction : JobStorageTransaction
{
    private readonly LiteDbConnection _connection;
    private readonly List<Action<WriteSession>> _writes = [];
    private readonly List<IDisposable> _locks = [];
    private bool _enqueues;

    public LiteDbWriteTransaction(LiteDbConnection connection) => _connection = connection;

    private LiteDbStorage Storage => _connection.Storage;

    public override void Commit()
    {
        var writes = _writes.ToArray();
        var enqueues = _enqueues;
        try
        {
            Storage.Writes.Execute(session =>
            {
                foreach (var write in writes) write(session);
                if (enqueues) session.AfterCommit(Storage.QueueSignal.Notify);
            });
        }
        finally
        {
            ReleaseLocks();
        }
    }

    public override void Dispose()
    {
        ReleaseLocks();
        base.Dispose();
    }

    public override void AcquireDistributedLock(string resource, TimeSpan timeout) =>
        _locks.Add(_connection.AcquireDistributedLock(resource, timeout));

    public override string CreateJob(Job job, IDictionary<string, string?> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);

        var invocation = InvocationData.SerializeJob(job);
        var snapshot = parameters.ToArray();
        var id = Storage.Sequences.Jobs.Next();
        _writes.Add(session => JobWrites.Create(session, id, invocation, snapshot, createdAt, expireIn));
        return JobIds.Format(id);
    }

    public override void SetJobParameter(string jobId, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(name);
        if (JobIds.TryParse(jobId, out var id)) _writes.Add(session => JobWrites.SetParameter(session, id, name, value));
    }

    public override void ExpireJob(string jobId, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (JobIds.TryParse(jobId, out var id)) _writes.Add(session => JobWrites.Expire(session, id, expireIn));
    }

    public override void PersistJob(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (JobIds.TryParse(jobId, out var id)) _writes.Add(session => JobWrites.Persist(session, id));
    }

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (name, reason, data) = StateRecord.Capture(state);
        IndexKeys.ValidateOwnerKey(name, nameof(state));
        if (!JobIds.TryParse(jobId, out var id)) return;
        _writes.Add(session => JobWrites.SetState(session, id, new StateRecord(name, reason, session.Now, data)));
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (name, reason, data) = StateRecord.Capture(state);
        if (!JobIds.TryParse(jobId, out var id)) return;
        _writes.Add(session => JobWrites.AddState(session, id, new StateRecord(name, reason, session.Now, data)));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(jobId);
        IndexKeys.ValidateOwnerKey(queue, nameof(queue));
        if (!JobIds.TryParse(jobId, out var id)) return;
        _writes.Add(session => QueueWrites.Enqueue(session, queue, id));
        _enqueues = true;
    }

    public override void RemoveFromQueue(IFetchedJob fetchedJob)
    {
        ArgumentNullException.ThrowIfNull(fetchedJob);
        if (fetchedJob is not LiteDbFetchedJob ours)
        {
            throw new ArgumentException(
                $"Only jobs fetched from the LiteDB storage can be acknowledged here, not {fetchedJob.GetType().Name}.",
                nameof(fetchedJob));
        }

        _writes.Add(session =>
        {
            QueueWrites.Remove(session, ours.Claim);
            session.AfterCommit(ours.Settle);
        });
    }

    public override void IncrementCounter(string key) => AddToCounter(key, +1, expireIn: null);

    public override void IncrementCounter(string key, TimeSpan expireIn) => AddToCounter(key, +1, expireIn);

    public override void DecrementCounter(string key) => AddToCounter(key, -1, expireIn: null);

    public override void DecrementCounter(string key, TimeSpan expireIn) => AddToCounter(key, -1, expireIn);

    public override void AddToSet(string key, string value) => AddToSet(key, value, 0.0);

    public override void AddToSet(string key, string value, double score)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => SetWrites.Add(session, key, value, score));
    }

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(items);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        if (items.Any(static item => item is null))
        {
            throw new ArgumentException("The list of items must not contain any `null` entries.", nameof(items));
        }

        var snapshot = items.ToArray();
        _writes.Add(session =>
        {
            foreach (var item in snapshot) SetWrites.Add(session, key, item, 0.0);
        });
    }

    public override void RemoveFromSet(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        _writes.Add(session => SetWrites.Remove(session, key, value));
    }

    public override void RemoveSet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => SetWrites.RemoveAll(session, key));
    }

    public override void ExpireSet(string key, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => SetWrites.Expire(session, key, expireIn));
    }

    public override void PersistSet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(session => SetWrites.Persist(session, key));
    }

    public override void InsertToList(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => ListWrites.Insert(session, key, value));
    }

    public override void RemoveFromList(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        _writes.Add(session => ListWrites.RemoveAll(session, key, value));
    }

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => ListWrites.Trim(session, key, keepStartingFrom, keepEndingAt));
    }

    public override void ExpireList(string key, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => ListWrites.Expire(session, key, expireIn));
    }

    public override void PersistList(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(session => ListWrites.Persist(session, key));
    }

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        var fields = keyValuePairs.ToArray();
        _writes.Add(session => HashStore.SetRange(session, key, fields));
    }

    public override void RemoveHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(session => HashStore.Remove(session, key));
    }

    public override void ExpireHash(string key, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(session => HashStore.Expire(session, key, expireIn));
    }

    public override void PersistHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(session => HashStore.Persist(session, key));
    }

    private void AddToCounter(string key, long delta, TimeSpan? expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        _writes.Add(session => CounterStore.Add(session, key, delta, expireIn));
    }

    private void ReleaseLocks()
    {
        foreach (var handle in _locks) handle.Dispose();
        _locks.Clear();
    }
}
