using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>List changes. Items are pushed at the head; a list exists while it has items.</summary>
internal static class ListWrites
{
    public static void Insert(WriteSession session, string key, string value)
    {
        var id = session.Sequences.Lists.Next();
        session.Collections.Lists.Insert(new BsonDocument
        {
            [Schema.Id] = id,
            [Schema.Lists.Key] = key,
            [Schema.Lists.Value] = value,
            [Schema.Lists.OrderKey] = IndexKeys.ListItem(key, id),
        });
    }

    public static void RemoveAll(WriteSession session, string key, string value)
    {
        var matching = ListReads.Items(session.Collections, key)
            .Where(item => item[Schema.Lists.Value].AsString == value)
            .Select(static item => item[Schema.Id])
            .ToList();
        foreach (var id in matching) session.Collections.Lists.Delete(id);
        ForgetExpirationIfEmpty(session, key);
    }

    /// <summary>Keeps the items at positions [<paramref name="keepFrom"/>, <paramref name="keepTo"/>], head first.</summary>
    public static void Trim(WriteSession session, string key, int keepFrom, int keepTo)
    {
        var outside = ListReads.Items(session.Collections, key)
            .Select(static (item, position) => (Id: item[Schema.Id], Position: position))
            .Where(item => item.Position < keepFrom || item.Position > keepTo)
            .Select(static item => item.Id)
            .ToList();
        foreach (var id in outside) session.Collections.Lists.Delete(id);
        ForgetExpirationIfEmpty(session, key);
    }

    public static void DeleteItems(Collections collections, string key)
    {
        collections.Lists.DeleteMany(
            Query.Between(Schema.Lists.OrderKey, IndexKeys.RangeStart(key), IndexKeys.RangeEnd(key)));
    }

    public static void Expire(WriteSession session, string key, TimeSpan expireIn)
    {
        if (!ListReads.Exists(session.Collections, key)) return;
        if (expireIn <= TimeSpan.Zero)
        {
            DeleteItems(session.Collections, key);
            KeyExpirations.Persist(session, KeyExpirations.ListOwner(key));
            return;
        }

        KeyExpirations.Set(session, KeyExpirations.ListOwner(key), session.Now.Add(expireIn));
    }

    public static void Persist(WriteSession session, string key) =>
        KeyExpirations.Persist(session, KeyExpirations.ListOwner(key));

    private static void ForgetExpirationIfEmpty(WriteSession session, string key)
    {
        var owner = KeyExpirations.ListOwner(key);
        if (KeyExpirations.Has(session, owner) && !ListReads.Exists(session.Collections, key))
        {
            KeyExpirations.Persist(session, owner);
        }
    }
}
