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
        var removed = RemoveByExpireAt(session, session.Collections.Jobs, Schema.Jobs.ExpireAt, limit);
        removed += RemoveByExpireAt(session, session.Collections.Hashes, Schema.Hashes.ExpireAt, limit);
        removed += RemoveByExpireAt(session, session.Collections.Counters, Schema.Counters.ExpireAt, limit);
        removed += KeyExpirations.RemoveExpired(session, limit);
        return removed;
    }

    private static int RemoveByExpireAt(
        WriteSession session, ILiteCollection<BsonDocument> collection, string expireAtField, int limit)
    {
        var expired = KeyRange.Between(collection, expireAtField, Ticks.Earliest, Ticks.From(session.Now))
            .Select("$._id").Limit(limit).ToEnumerable()
            .Select(static document => document[Schema.Id])
            .ToList();
        foreach (var id in expired) collection.Delete(id);
        return expired.Count;
    }
}
