using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// The collections of the storage file, their field names (short: they are stored in every document) and indexes.
/// Times are stored as UTC ticks (Int64): exact, sortable and free of LiteDB's local-time conversion.
/// </summary>
internal static class Schema
{
    public const string Id = "_id";

    /// <summary>Background jobs with parameters, current state and recent state history.</summary>
    public static class Jobs
    {
        public const string Name = "jobs";
        public const string Invocation = "inv";
        public const string Parameters = "prm";
        public const string CreatedAt = "ca";
        public const string ExpireAt = "ea";
        /// <summary>Position of the current state in <see cref="History"/> (null before the first state).</summary>
        public const string State = "st";

        /// <summary>States, oldest first; the current one is stored once, here, and pointed at by <see cref="State"/>.</summary>
        public const string History = "h";

        /// <summary>State list key (see <see cref="IndexKeys.StateList"/>): the dashboard's lists and counts.</summary>
        public const string StateKey = "sk";
    }

    /// <summary>Queue entries; one per enqueued job, removed on acknowledge.</summary>
    public static class Queue
    {
        public const string Name = "queue";
        public const string QueueName = "q";
        public const string JobId = "j";
        public const string FetchedAt = "fa";
        public const string FetchToken = "tok";

        /// <summary>Set while the entry waits: <see cref="IndexKeys.Waiting"/>; null once fetched.</summary>
        public const string WaitKey = "w";
    }

    /// <summary>Names of every queue ever used (the dashboard lists them even when empty).</summary>
    public static class Queues
    {
        public const string Name = "queues";
    }

    /// <summary>Sorted-set members, one document per member.</summary>
    public static class Sets
    {
        public const string Name = "sets";
        public const string Key = "k";
        public const string Value = "v";
        public const string Score = "s";
        public const string MemberKey = "m";
        public const string OrderKey = "o";
    }

    /// <summary>List items, one document per item.</summary>
    public static class Lists
    {
        public const string Name = "lists";
        public const string Key = "k";
        public const string Value = "v";
        public const string OrderKey = "o";
    }

    /// <summary>Hashes, one document per hash key with its fields.</summary>
    public static class Hashes
    {
        public const string Name = "hashes";
        public const string Fields = "f";
        public const string ExpireAt = "ea";
    }

    /// <summary>Counters, one document per key holding the aggregated value.</summary>
    public static class Counters
    {
        public const string Name = "counters";
        public const string Value = "v";
        public const string ExpireAt = "ea";
    }

    /// <summary>Expiration times of whole sets and lists (their members are separate documents).</summary>
    public static class KeyExpirations
    {
        public const string Name = "expirations";
        public const string ExpireAt = "ea";
    }

    /// <summary>Announced Hangfire servers.</summary>
    public static class Servers
    {
        public const string Name = "servers";
        public const string Queues = "q";
        public const string WorkerCount = "w";
        public const string StartedAt = "sa";
        public const string HeartbeatAt = "hb";
    }

    /// <summary>Creates the indexes the storage's queries rely on (no-op when they exist).</summary>
    public static void EnsureIndexes(LiteDatabase database)
    {
        database.GetCollection(Jobs.Name).EnsureIndex(Jobs.StateKey);
        database.GetCollection(Jobs.Name).EnsureIndex(Jobs.ExpireAt);
        database.GetCollection(Queue.Name).EnsureIndex(Queue.WaitKey);
        // Fetched entries are found through the null WaitKey (they are few: one per busy worker), so FetchedAt
        // needs no index of its own to maintain on every fetch and acknowledge.
        database.GetCollection(Sets.Name).EnsureIndex(Sets.MemberKey, unique: true);
        database.GetCollection(Sets.Name).EnsureIndex(Sets.OrderKey);
        database.GetCollection(Lists.Name).EnsureIndex(Lists.OrderKey);
        database.GetCollection(Hashes.Name).EnsureIndex(Hashes.ExpireAt);
        database.GetCollection(Counters.Name).EnsureIndex(Counters.ExpireAt);
        database.GetCollection(KeyExpirations.Name).EnsureIndex(KeyExpirations.ExpireAt);
    }
}
