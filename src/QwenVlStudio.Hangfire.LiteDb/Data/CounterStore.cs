using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>
/// Counters, aggregated at commit: one document per key holds the running total. Hangfire.SqlServer appends a row
/// per increment and folds them later to avoid contended row locks; here every write already goes through the one
/// writer thread, so adding in place costs the same as appending and a read is a single lookup.
/// A counter that reaches zero disappears, as in Hangfire.InMemory.
/// Expiration times of counters are rounded up to the next whole minute: the dashboard's per-hour and per-day
/// counters are incremented with an expiration on every finished job, and a time that only changes once a minute
/// spares the expiration index a rewrite on every increment (a counter may outlive its time by under a minute).
/// </summary>
internal static class CounterStore
{
    public static void Add(WriteSession session, string key, long delta, TimeSpan? expireIn)
    {
        var counters = session.CachedCounters;
        var document = counters.FindById(key);
        var value = (document?[Schema.Counters.Value].AsInt64 ?? 0) + delta;
        if (value == 0)
        {
            if (document is not null) counters.Delete(key);
            return;
        }

        var expireAt = expireIn is { } span
            ? Ticks.From(RoundUpToMinute(session.Now.Add(span)))
            : document?[Schema.Counters.ExpireAt] ?? BsonValue.Null;
        if (document is null)
        {
            counters.Insert(new BsonDocument
            {
                [Schema.Id] = key,
                [Schema.Counters.Value] = value,
                [Schema.Counters.ExpireAt] = expireAt,
            });
            return;
        }

        document[Schema.Counters.Value] = value;
        document[Schema.Counters.ExpireAt] = expireAt;
        counters.Update(document);
    }

    private static DateTime RoundUpToMinute(DateTime time)
    {
        var remainder = time.Ticks % TimeSpan.TicksPerMinute;
        return remainder == 0 ? time : time.AddTicks(TimeSpan.TicksPerMinute - remainder);
    }

    public static long Get(Collections collections, string key) =>
        collections.Counters.FindById(key) is { } document ? document[Schema.Counters.Value].AsInt64 : 0;
}
