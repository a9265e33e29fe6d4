using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Hashes: one document per key holding its fields and expiration. A hash exists while it has fields.</summary>
internal static class HashStore
{
    public static void SetRange(WriteSession session, string key, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var hashes = session.Collections.Hashes;
        var document = hashes.FindById(key);
        if (document is null)
        {
            if (fields.Count == 0) return;
            document = new BsonDocument
            {
                [Schema.Id] = key,
                [Schema.Hashes.Fields] = new BsonArray(),
                [Schema.Hashes.ExpireAt] = BsonValue.Null,
            };
            var array = document[Schema.Hashes.Fields].AsArray;
            foreach (var field in fields) BsonPairs.Set(array, field.Key, field.Value);
            hashes.Insert(document);
            return;
        }

        var existing = document[Schema.Hashes.Fields].AsArray;
        foreach (var field in fields) BsonPairs.Set(existing, field.Key, field.Value);
        hashes.Update(document);
    }

    public static void Remove(WriteSession session, string key) => session.Collections.Hashes.Delete(key);

    public static void Expire(WriteSession session, string key, TimeSpan expireIn)
    {
        var document = session.Collections.Hashes.FindById(key);
        if (document is null) return;
        if (expireIn <= TimeSpan.Zero)
        {
            session.Collections.Hashes.Delete(key);
            return;
        }

        document[Schema.Hashes.ExpireAt] = Ticks.From(session.Now.Add(expireIn));
        session.Collections.Hashes.Update(document);
    }

    public static void Persist(WriteSession session, string key)
    {
        var document = session.Collections.Hashes.FindById(key);
        if (document is null) return;
        document[Schema.Hashes.ExpireAt] = BsonValue.Null;
        session.Collections.Hashes.Update(document);
    }

    public static Dictionary<string, string>? GetAll(Collections collections, string key) =>
        collections.Hashes.FindById(key) is { } document
            ? BsonPairs.ToStringDictionary(document[Schema.Hashes.Fields].AsArray)
            : null;

    public static string? Get(Collections collections, string key, string name) =>
        collections.Hashes.FindById(key) is { } document
            ? BsonPairs.Find(document[Schema.Hashes.Fields].AsArray, name)
            : null;

    public static long Count(Collections collections, string key) =>
        collections.Hashes.FindById(key) is { } document ? document[Schema.Hashes.Fields].AsArray.Count : 0;

    public static DateTime? ExpireAt(Collections collections, string key) =>
        collections.Hashes.FindById(key) is { } document ? Ticks.ToNullableUtc(document[Schema.Hashes.ExpireAt]) : null;
}
