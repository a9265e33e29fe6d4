using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Locking;

namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>
/// A Hangfire connection to the LiteDB storage: reads go straight to LiteDB (snapshot reads, no writer involved),
/// writes go through the storage's writer thread. Owns the distributed locks it takes; disposing releases them.
/// </summary>
internal sealed class LiteDbConnection : JobStorageConnection
{
    private readonly LiteDbStorage _storage;
    private readonly List<LockHandle> _heldLocks = [];

    public LiteDbConnection(LiteDbStorage storage) => _storage = storage;

    internal LiteDbStorage Storage => _storage;

    private Collections Collections => _storage.Collections;

    public override void Dispose()
    {
        LockHandle[] held;
        lock (_heldLocks) held = _heldLocks.ToArray();
        for (var i = held.Length - 1; i >= 0; i--) held[i].Dispose();
        base.Dispose();
    }

    public override IWriteOnlyTransaction CreateWriteTransaction() => new LiteDbWriteTransaction(this);

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _storage.Locks.Acquire(this, resource, timeout);
        var handle = new LockHandle(_storage.Locks, this, resource, ForgetLock);
        lock (_heldLocks) _heldLocks.Add(handle);
        return handle;
    }

    public override string CreateExpiredJob(
        Job job, IDictionary<string, string?> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);

        var invocation = InvocationData.SerializeJob(job);
        var snapshot = parameters.ToArray();
        var id = _storage.Writes.Execute(session =>
        {
            var jobId = session.Sequences.Jobs.Next();
            JobWrites.Create(session, jobId, invocation, snapshot, createdAt, expireIn);
            return jobId;
        });
        return JobIds.Format(id);
    }

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Length == 0) throw new ArgumentException("Queue array must be non-empty.", nameof(queues));

        var options = _storage.Options;
        var likelyWork = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seen = _storage.QueueSignal.Generation;

            // A busy worker asks the writer straight away; an idle one first looks with a read, so that polling an
            // empty queue never costs a commit.
            if (likelyWork || QueueReads.AnyFetchable(Collections, queues, _storage.UtcNow - options.InvisibilityTimeout))
            {
                var claim = _storage.Writes.Execute(session => QueueWrites.Fetch(session, queues, options.InvisibilityTimeout));
                if (claim is not null) return new LiteDbFetchedJob(_storage, claim);
            }

            likelyWork = _storage.QueueSignal.Wait(seen, options.QueuePollInterval, cancellationToken);
        }
    }

    public override void SetJobParameter(string id, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        if (!JobIds.TryParse(id, out var jobId)) return;
        _storage.Writes.Execute(session => JobWrites.SetParameter(session, jobId, name, value));
    }

    public override string? GetJobParameter(string id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        return JobReads.Find(Collections, id)?.GetParameter(name);
    }

    public override JobData? GetJobData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var job = JobReads.Find(Collections, jobId);
        if (job is null) return null;

        var invocation = job.InvocationData;
        return new JobData
        {
            Job = invocation.TryGetJob(out var loadException),
            LoadException = loadException,
            InvocationData = invocation,
            ParametersSnapshot = job.Parameters,
            CreatedAt = job.CreatedAt,
            State = job.State?.Name,
        };
    }

    public override StateData? GetStateData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var state = JobReads.Find(Collections, jobId)?.State;
        return state is null ? null : new StateData { Name = state.Name, Reason = state.Reason, Data = state.DataAsDictionary() };
    }

    public override void AnnounceServer(string serverId, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(context);
        _storage.Writes.Execute(session => ServerStore.Announce(session, serverId, context));
    }

    public override void RemoveServer(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        _storage.Writes.Execute(session => ServerStore.Remove(session, serverId));
    }

    public override void Heartbeat(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        if (!_storage.Writes.Execute(session => ServerStore.Heartbeat(session, serverId)))
        {
            throw new BackgroundServerGoneException();
        }
    }

    public override int RemoveTimedOutServers(TimeSpan timeOut)
    {
        if (timeOut <= TimeSpan.Zero)
        {
            throw new ArgumentException("The `timeOut` value must be positive.", nameof(timeOut));
        }

        return _storage.Writes.Execute(session => ServerStore.RemoveTimedOut(session, timeOut));
    }

    public override DateTime GetUtcDateTime() => _storage.UtcNow;

    public override HashSet<string> GetAllItemsFromSet(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SetReads.All(Collections, key);
    }

    public override string? GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore)
    {
        return GetFirstByLowestScoreFromSet(key, fromScore, toScore, 1).FirstOrDefault();
    }

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (toScore < fromScore)
        {
            throw new ArgumentException("The `toScore` value must be greater or equal to the `fromScore` value.", nameof(toScore));
        }

        if (count <= 0) throw new ArgumentException("The value must be a positive number", nameof(count));
        return SetReads.ByScore(Collections, key, fromScore, toScore, count);
    }

    public override bool GetSetContains(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return SetReads.Contains(Collections, key, value);
    }

    public override long GetSetCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SetReads.Count(Collections, key);
    }

    public override long GetSetCount(IEnumerable<string> keys, int limit)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), "Value must be greater or equal to 0.");

        long total = 0;
        foreach (var key in keys)
        {
            if (total >= limit) break;
            total += SetReads.Count(Collections, key, limit - (int)total);
        }

        return Math.Min(total, limit);
    }

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ValidateRange(startingFrom, endingAt);
        return SetReads.Range(Collections, key, startingFrom, endingAt);
    }

    public override TimeSpan GetSetTtl(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TimeToLive(KeyExpirations.ExpireAt(Collections, KeyExpirations.SetOwner(key)));
    }

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        IndexKeys.ValidateOwnerKey(key, nameof(key));
        var fields = keyValuePairs.ToArray();
        _storage.Writes.Execute(session => HashStore.SetRange(session, key, fields));
    }

    public override Dictionary<string, string>? GetAllEntriesFromHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashStore.GetAll(Collections, key);
    }

    public override string? GetValueFromHash(string key, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(name);
        return HashStore.Get(Collections, key, name);
    }

    public override long GetHashCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashStore.Count(Collections, key);
    }

    public override TimeSpan GetHashTtl(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TimeToLive(HashStore.ExpireAt(Collections, key));
    }

    public override long GetListCount(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ListReads.Count(Collections, key);
    }

    public override List<string> GetAllItemsFromList(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ListReads.All(Collections, key);
    }

    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ValidateRange(startingFrom, endingAt);
        return ListReads.Range(Collections, key, startingFrom, endingAt);
    }

    public override TimeSpan GetListTtl(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TimeToLive(KeyExpirations.ExpireAt(Collections, KeyExpirations.ListOwner(key)));
    }

    public override long GetCounter(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CounterStore.Get(Collections, key);
    }

    private TimeSpan TimeToLive(DateTime? expireAt)
    {
        if (expireAt is null) return Timeout.InfiniteTimeSpan;
        var left = expireAt.Value - _storage.UtcNow;
        return left >= TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static void ValidateRange(int startingFrom, int endingAt)
    {
        if (startingFrom < 0)
        {
            throw new ArgumentException("The value must be greater than or equal to zero.", nameof(startingFrom));
        }

        if (endingAt < startingFrom)
        {
            throw new ArgumentException("The `endingAt` value must be greater or equal to the `startingFrom` value.", nameof(endingAt));
        }
    }

    private void ForgetLock(LockHandle handle)
    {
        lock (_heldLocks) _heldLocks.Remove(handle);
    }
}
