using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Sorted-set reads; members come in score order, ties by value.</summary>
internal static class SetReads
{
    public static bool Exists(Collections collections, string key) =>
        KeyRange.OfOwner(collections.Sets, Schema.Sets.MemberKey, key).Limit(1).FirstOrDefault() is not null;

    public static bool Contains(Collections collections, string key, string value) =>
        collections.Sets.FindOne(Query.EQ(Schema.Sets.MemberKey, IndexKeys.SetMember(key, value))) is not null;

    public static long Count(Collections collections, string key, int? limit = null) =>
        KeyRange.CountOfOwner(collections.Sets, Schema.Sets.MemberKey, key, limit);

    public static HashSet<string> All(Collections collections, string key) =>
        KeyRange.OfOwner(collections.Sets, Schema.Sets.MemberKey, key).ToEnumerable()
            .Select(static member => member[Schema.Sets.Value].AsString)
            .ToHashSet(StringComparer.Ordinal);

    public static List<string> Range(Collections collections, string key, int from, int to) =>
        KeyRange.OfOwner(collections.Sets, Schema.Sets.OrderKey, key)
            .Skip(from).Limit(to - from + 1).ToEnumerable()
            .Select(static member => member[Schema.Sets.Value].AsString)
            .ToList();

    public static List<string> ByScore(Collections collections, string key, double fromScore, double toScore, int count) =>
        KeyRange.Between(
                collections.Sets, Schema.Sets.OrderKey,
                IndexKeys.SetScoreBound(key, fromScore), IndexKeys.SetScoreBoundEnd(key, toScore))
            .Limit(count).ToEnumerable()
            .Select(static member => member[Schema.Sets.Value].AsString)
            .ToList();
}
