using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Data;

namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>
/// A job taken from a queue. Its entry stays in the file, marked fetched, until the job is acknowledged
/// (<see cref="RemoveFromQueue"/>, or the state-change transaction that removes it); disposing it without
/// acknowledgement puts the entry back. While it lives, the storage keeps the entry invisible to other workers.
/// </summary>
internal sealed class LiteDbFetchedJob : IFetchedJob
{
    private readonly LiteDbStorage _storage;
    private int _settled;

    public LiteDbFetchedJob(LiteDbStorage storage, QueueEntry claim)
    {
        _storage = storage;
        Claim = claim;
        _storage.KeepAlive.Track(claim);
    }

    internal QueueEntry Claim { get; }

    public string JobId => JobIds.Format(Claim.JobId);

    /// <summary>Whether the entry has been acknowledged or put back.</summary>
    internal bool IsSettled => Volatile.Read(ref _settled) != 0;

    public void RemoveFromQueue()
    {
        if (IsSettled) return;
        _storage.Writes.Execute(session => QueueWrites.Remove(session, Claim));
        Settle();
    }

    public void Requeue()
    {
        if (IsSettled) return;
        _storage.Writes.Execute(session =>
        {
            if (QueueWrites.Requeue(session, Claim)) session.AfterCommit(_storage.QueueSignal.Notify);
        });
        Settle();
    }

    public void Dispose() => Requeue();

    /// <summary>Called once a transaction that removed this entry has committed.</summary>
    internal void Settle()
    {
        Volatile.Write(ref _settled, 1);
        _storage.KeepAlive.Forget(Claim);
    }
}
