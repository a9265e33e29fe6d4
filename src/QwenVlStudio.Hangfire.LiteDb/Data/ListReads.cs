using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>List reads, newest item first.</summary>
internal static class ListReads
{
    public static IEnumerable<BsonDocument> Items(Collections collections, string key) =>
        KeyRange.OfOwner(collections.Lists, Schema.Lists.OrderKey, key).ToEnumerable();

    public static bool Exists(Collections collections, string key) =>
        KeyRange.OfOwner(collections.Lists, Schema.Lists.OrderKey, key).Limit(1).FirstOrDefault() is not null;

    public static long Count(Collections collections, string key) =>
        KeyRange.CountOfOwner(collections.Lists, Schema.Lists.OrderKey, key);

    public static List<string> All(Collections collections, string key) =>
        Items(collections, key).Select(static item => item[Schema.Lists.Value].AsString).ToList();

    public static List<string> Range(Collections collections, string key, int from, int to) =>
        KeyRange.OfOwner(collections.Lists, Schema.Lists.OrderKey, key)
            .Skip(from).Limit(to - from + 1).ToEnumerable()
            .Select(static item => item[Schema.Lists.Value].AsString)
            .ToList();
}
