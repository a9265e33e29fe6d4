using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Index range queries over composite keys (see <see cref="IndexKeys"/>), in index order.</summary>
internal static class KeyRange
{
    /// <summary>Documents whose <paramref name="field"/> lies in [from, to], ascending or descending.</summary>
    public static ILiteQueryable<BsonDocument> Between(
        ILiteCollection<BsonDocument> collection, string field, BsonValue from, BsonValue to, bool descending = false)
    {
        var query = collection.Query().Where(Query.Between(field, from, to));
        // Ordering by the very expression of the index makes LiteDB walk the index instead of sorting.
        return descending ? query.OrderByDescending("$." + field) : query.OrderBy("$." + field);
    }

    /// <summary>Documents whose composite key belongs to <paramref name="owner"/>.</summary>
    public static ILiteQueryable<BsonDocument> OfOwner(
        ILiteCollection<BsonDocument> collection, string field, string owner, bool descending = false) =>
        Between(collection, field, IndexKeys.RangeStart(owner), IndexKeys.RangeEnd(owner), descending);

    /// <summary>Counts the keys of <paramref name="owner"/> from the index alone, stopping at <paramref name="limit"/>.</summary>
    public static long CountOfOwner(ILiteCollection<BsonDocument> collection, string field, string owner, int? limit = null)
    {
        var keys = collection.Query()
            .Where(Query.Between(field, IndexKeys.RangeStart(owner), IndexKeys.RangeEnd(owner)))
            .Select("$." + field);
        return limit is { } max ? keys.Limit(max).ToEnumerable().LongCount() : keys.ToEnumerable().LongCount();
    }
}
