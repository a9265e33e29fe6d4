using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Sorted-set changes. A set exists while it has members; its expiration lives in <see cref="KeyExpirations"/>.</summary>
internal static class SetWrites
{
    public static void Add(WriteSession session, string key, string value, double score)
    {
        var sets = session.Collections.Sets;
        var member = sets.FindOne(Query.EQ(Schema.Sets.MemberKey, IndexKeys.SetMember(key, value)));
        if (member is null)
        {
            sets.Insert(new BsonDocument
            {
                [Schema.Id] = session.Sequences.Sets.Next(),
                [Schema.Sets.Key] = key,
                [Schema.Sets.Value] = value,
                [Schema.Sets.Score] = score,
                [Schema.Sets.MemberKey] = IndexKeys.SetMember(key, value),
                [Schema.Sets.OrderKey] = IndexKeys.SetOrder(key, score, value),
            });
            return;
        }

        if (member[Schema.Sets.Score].AsDouble.Equals(score)) return;
        member[Schema.Sets.Score] = score;
        member[Schema.Sets.OrderKey] = IndexKeys.SetOrder(key, score, value);
        sets.Update(member);
    }

    public static void Remove(WriteSession session, string key, string value)
    {
        session.Collections.Sets.DeleteMany(Query.EQ(Schema.Sets.MemberKey, IndexKeys.SetMember(key, value)));
        ForgetExpirationIfEmpty(session, key);
    }

    public static void RemoveAll(WriteSession session, string key)
    {
        DeleteMembers(session.Collections, key);
        KeyExpirations.Persist(session, KeyExpirations.SetOwner(key));
    }

    public static void DeleteMembers(Collections collections, string key)
    {
        collections.Sets.DeleteMany(
            Query.Between(Schema.Sets.MemberKey, IndexKeys.RangeStart(key), IndexKeys.RangeEnd(key)));
    }

    public static void Expire(WriteSession session, string key, TimeSpan expireIn)
    {
        if (!SetReads.Exists(session.Collections, key)) return;
        if (expireIn <= TimeSpan.Zero)
        {
            RemoveAll(session, key);
            return;
        }

        KeyExpirations.Set(session, KeyExpirations.SetOwner(key), session.Now.Add(expireIn));
    }

    public static void Persist(WriteSession session, string key) =>
        KeyExpirations.Persist(session, KeyExpirations.SetOwner(key));

    private static void ForgetExpirationIfEmpty(WriteSession session, string key)
    {
        var owner = KeyExpirations.SetOwner(key);
        if (KeyExpirations.Has(session, owner) && !SetReads.Exists(session.Collections, key))
        {
            KeyExpirations.Persist(session, owner);
        }
    }
}
