using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>
/// Queue entries, SQL-Server style: fetching marks an entry with FetchedAt and a fresh token in the same commit,
/// an entry fetched longer ago than the invisibility timeout can be fetched again, and acknowledging or requeueing
/// touches only the entry still holding the caller's token.
/// </summary>
internal static class QueueWrites
{
    public static void Enqueue(WriteSession session, string queue, long jobId)
    {
        var entryId = session.Sequences.Queue.Next();
        session.CachedQueue.Insert(new BsonDocument
        {
            [Schema.Id] = entryId,
            [Schema.Queue.QueueName] = queue,
            [Schema.Queue.JobId] = jobId,
            [Schema.Queue.FetchedAt] = BsonValue.Null,
            [Schema.Queue.FetchToken] = BsonValue.Null,
            [Schema.Queue.WaitKey] = IndexKeys.Waiting(queue, entryId),
        });
        session.Queue.Waits(queue, entryId);
        session.QueueNames.Remember(session, queue);
    }

    /// <summary>Claims the oldest waiting entry of the first queue that has one, else an abandoned entry.</summary>
    public static QueueEntry? Fetch(WriteSession session, IReadOnlyList<string> queues, TimeSpan invisibilityTimeout)
    {
        var entry = FirstWaiting(session, queues) ?? FirstAbandoned(session, queues, session.Now - invisibilityTimeout);
        if (entry is null) return null;

        var token = Guid.NewGuid().ToString("N");
        entry[Schema.Queue.FetchedAt] = Ticks.From(session.Now);
        entry[Schema.Queue.FetchToken] = token;
        entry[Schema.Queue.WaitKey] = BsonValue.Null;
        session.CachedQueue.Update(entry);
        session.Queue.Fetched(entry[Schema.Queue.QueueName].AsString, entry[Schema.Id].AsInt64, session.Now);

        return new QueueEntry(
            entry[Schema.Id].AsInt64, entry[Schema.Queue.JobId].AsInt64, entry[Schema.Queue.QueueName].AsString, token);
    }

    /// <summary>Deletes the entry if this fetch still owns it; false when another fetch took it over.</summary>
    public static bool Remove(WriteSession session, QueueEntry claim)
    {
        if (Owned(session, claim) is null) return false;
        session.Queue.Removed(claim.EntryId);
        return session.CachedQueue.Delete(claim.EntryId);
    }

    /// <summary>Puts the entry back in its place at the head of the queue if this fetch still owns it.</summary>
    public static bool Requeue(WriteSession session, QueueEntry claim)
    {
        var entry = Owned(session, claim);
        if (entry is null) return false;

        entry[Schema.Queue.FetchedAt] = BsonValue.Null;
        entry[Schema.Queue.FetchToken] = BsonValue.Null;
        entry[Schema.Queue.WaitKey] = IndexKeys.Waiting(claim.Queue, claim.EntryId);
        session.CachedQueue.Update(entry);
        session.Queue.Waits(claim.Queue, claim.EntryId);
        return true;
    }

    /// <summary>
    /// Puts back every fetched entry. Called when the file is opened: the storage holds its file exclusively, so
    /// whoever fetched those entries was a process that no longer runs, and they need not wait out the timeout.
    /// </summary>
    public static int RequeueOrphans(WriteSession session)
    {
        var orphans = QueueReads.AllFetched(session.Collections).ToList();
        foreach (var entry in orphans)
        {
            entry[Schema.Queue.FetchedAt] = BsonValue.Null;
            entry[Schema.Queue.FetchToken] = BsonValue.Null;
            entry[Schema.Queue.WaitKey] = IndexKeys.Waiting(entry[Schema.Queue.QueueName].AsString, entry[Schema.Id].AsInt64);
            session.CachedQueue.Update(entry);
            session.Queue.Waits(entry[Schema.Queue.QueueName].AsString, entry[Schema.Id].AsInt64);
        }

        return orphans.Count;
    }

    /// <summary>Renews FetchedAt of entries whose workers are alive; returns the claims that are no longer owned.</summary>
    public static List<QueueEntry> KeepInvisible(WriteSession session, IEnumerable<QueueEntry> claims)
    {
        var lost = new List<QueueEntry>();
        foreach (var claim in claims)
        {
            var entry = Owned(session, claim);
            if (entry is null)
            {
                lost.Add(claim);
                continue;
            }

            entry[Schema.Queue.FetchedAt] = Ticks.From(session.Now);
            session.CachedQueue.Update(entry);
            session.Queue.Fetched(claim.Queue, claim.EntryId, session.Now);
        }

        return lost;
    }

    private static BsonDocument? FirstWaiting(WriteSession session, IReadOnlyList<string> queues)
    {
        foreach (var queue in queues)
        {
            if (session.Queue.FirstWaiting(queue) is not { } entryId) continue;
            var entry = session.CachedQueue.FindById(entryId);
            if (entry is not null && !entry[Schema.Queue.WaitKey].IsNull) return entry;

            // The view disagrees with the file, which must not happen; trust the file's index from here on.
            session.Queue.Invalidate();
            return QueueReads.FirstWaiting(session.Collections, queues);
        }

        return null;
    }

    private static BsonDocument? FirstAbandoned(WriteSession session, IReadOnlyList<string> queues, DateTime cutoff)
    {
        if (session.Queue.FirstAbandoned(queues, cutoff) is not { } entryId) return null;
        var entry = session.CachedQueue.FindById(entryId);
        if (entry is not null && entry[Schema.Queue.WaitKey].IsNull) return entry;

        session.Queue.Invalidate();
        return QueueReads.FirstAbandoned(session.Collections, queues, cutoff);
    }

    private static BsonDocument? Owned(WriteSession session, QueueEntry claim)
    {
        var entry = session.CachedQueue.FindById(claim.EntryId);
        var token = entry?[Schema.Queue.FetchToken];
        return token is { IsString: true } && token.AsString == claim.FetchToken ? entry : null;
    }
}
