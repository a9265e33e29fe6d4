using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Expiration;

/// <summary>Removes records whose expiration time has passed, a bounded number per write.</summary>
internal static class ExpiredRecords
{
    /// <summary>Removes up to <paramref name="limit"/> expired records of each kind; returns how many went.</summary>
    public static int RemoveBatch(WriteSession session, int limit)
    {
        var removed = RemoveByExpireAt(session.Collections.Jobs, Schema.Jobs.ExpireAt, session, session.CachedJobs.Delete, limit);
        removed += RemoveByExpireAt(session.Collections.Hashes, Schema.Hashes.ExpireAt, session, session.Collections.Hashes.Delete, limit);
        removed += RemoveByExpireAt(session.Collections.Counters, Schema.Counters.ExpireAt, session, session.CachedCounters.Delete, limit);
        removed += KeyExpirations.RemoveExpired(session, limit);
        return removed;
    }

    private static int RemoveByExpireAt(
        ILiteCollection<BsonDocument> collection, string expireAtField, WriteSession session, Func<BsonValue, bool> delete,
        int limit)
    {
        var expired = KeyRange.Between(collection, expireAtField, Ticks.Earliest, Ticks.From(session.Now))
            .Select("$._id").Limit(limit).ToEnumerable()
            .Select(static document => document[Schema.Id])
            .ToList();
        foreach (var id in expired) delete(id);
        return expired.Count;
    }
}
