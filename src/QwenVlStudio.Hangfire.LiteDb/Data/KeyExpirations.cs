using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>
/// Expiration times of whole sets and lists. Their members are separate documents, so the time is kept once per key
/// here (as Hangfire.InMemory keeps it once per set) rather than copied into every member.
/// </summary>
internal static class KeyExpirations
{
    private const string SetPrefix = "set:";
    private const string ListPrefix = "list:";

    public static string SetOwner(string key) => SetPrefix + key;

    public static string ListOwner(string key) => ListPrefix + key;

    public static void Set(WriteSession session, string owner, DateTime expireAt) =>
        session.Collections.KeyExpirations.Upsert(
            new BsonDocument { [Schema.Id] = owner, [Schema.KeyExpirations.ExpireAt] = Ticks.From(expireAt) });

    public static void Persist(WriteSession session, string owner) => session.Collections.KeyExpirations.Delete(owner);

    public static bool Has(WriteSession session, string owner) =>
        session.Collections.KeyExpirations.FindById(owner) is not null;

    public static DateTime? ExpireAt(Collections collections, string owner) =>
        collections.KeyExpirations.FindById(owner) is { } document
            ? Ticks.ToNullableUtc(document[Schema.KeyExpirations.ExpireAt])
            : null;

    /// <summary>Removes up to <paramref name="limit"/> expired sets and lists with their members; returns how many.</summary>
    public static int RemoveExpired(WriteSession session, int limit)
    {
        var expired = KeyRange.Between(
                session.Collections.KeyExpirations, Schema.KeyExpirations.ExpireAt, Ticks.Earliest, Ticks.From(session.Now))
            .Limit(limit).ToEnumerable()
            .Select(static document => document[Schema.Id].AsString)
            .ToList();

        foreach (var owner in expired)
        {
            if (owner.StartsWith(SetPrefix, StringComparison.Ordinal))
            {
                SetWrites.DeleteMembers(session.Collections, owner[SetPrefix.Length..]);
            }
            else if (owner.StartsWith(ListPrefix, StringComparison.Ordinal))
            {
                ListWrites.DeleteItems(session.Collections, owner[ListPrefix.Length..]);
            }

            session.Collections.KeyExpirations.Delete(owner);
        }

        return expired.Count;
    }
}
