using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Reads of queue entries (waiting ones by queue order, fetched ones by fetch time).</summary>
internal static class QueueReads
{
    public static BsonDocument? FirstWaiting(Collections collections, IReadOnlyList<string> queues)
    {
        foreach (var queue in queues)
        {
            var entry = KeyRange.OfOwner(collections.Queue, Schema.Queue.WaitKey, queue).Limit(1).FirstOrDefault();
            if (entry is not null) return entry;
        }

        return null;
    }

    /// <summary>The entry of <paramref name="queues"/> fetched longest ago, if that was at or before <paramref name="cutoff"/>.</summary>
    public static BsonDocument? FirstAbandoned(Collections collections, IReadOnlyList<string> queues, DateTime cutoff) =>
        AllFetched(collections)
            .Where(entry => Ticks.ToUtc(entry[Schema.Queue.FetchedAt]) <= cutoff &&
                queues.Contains(entry[Schema.Queue.QueueName].AsString, StringComparer.Ordinal))
            .MinBy(static entry => entry[Schema.Queue.FetchedAt].AsInt64);

    /// <summary>Every fetched entry (its WaitKey is null), in no particular order.</summary>
    public static IEnumerable<BsonDocument> AllFetched(Collections collections) =>
        collections.Queue.Find(Query.EQ(Schema.Queue.WaitKey, BsonValue.Null));

    /// <summary>Whether a fetch would find something: read without the writer, so idle workers cost no commit.</summary>
    public static bool AnyFetchable(Collections collections, IReadOnlyList<string> queues, DateTime cutoff) =>
        FirstWaiting(collections, queues) is not null || FirstAbandoned(collections, queues, cutoff) is not null;

    public static long WaitingCount(Collections collections, string queue) =>
        KeyRange.CountOfOwner(collections.Queue, Schema.Queue.WaitKey, queue);

    public static List<long> WaitingJobIds(Collections collections, string queue, int from, int count) =>
        KeyRange.OfOwner(collections.Queue, Schema.Queue.WaitKey, queue)
            .Skip(from).Limit(count).ToEnumerable()
            .Select(static entry => entry[Schema.Queue.JobId].AsInt64)
            .ToList();

    /// <summary>Entries of <paramref name="queue"/> currently fetched, oldest fetch first.</summary>
    public static IEnumerable<BsonDocument> Fetched(Collections collections, string queue) =>
        AllFetched(collections)
            .Where(entry => entry[Schema.Queue.QueueName].AsString == queue)
            .OrderBy(static entry => entry[Schema.Queue.FetchedAt].AsInt64);
}
