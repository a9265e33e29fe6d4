using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>The storage's collections, resolved once. LiteDB collections are thread-safe handles.</summary>
internal sealed class Collections
{
    public Collections(LiteDatabase database)
    {
        Jobs = database.GetCollection(Schema.Jobs.Name);
        Queue = database.GetCollection(Schema.Queue.Name);
        Queues = database.GetCollection(Schema.Queues.Name);
        Sets = database.GetCollection(Schema.Sets.Name);
        Lists = database.GetCollection(Schema.Lists.Name);
        Hashes = database.GetCollection(Schema.Hashes.Name);
        Counters = database.GetCollection(Schema.Counters.Name);
        KeyExpirations = database.GetCollection(Schema.KeyExpirations.Name);
        Servers = database.GetCollection(Schema.Servers.Name);
    }

    public ILiteCollection<BsonDocument> Jobs { get; }
    public ILiteCollection<BsonDocument> Queue { get; }
    public ILiteCollection<BsonDocument> Queues { get; }
    public ILiteCollection<BsonDocument> Sets { get; }
    public ILiteCollection<BsonDocument> Lists { get; }
    public ILiteCollection<BsonDocument> Hashes { get; }
    public ILiteCollection<BsonDocument> Counters { get; }
    public ILiteCollection<BsonDocument> KeyExpirations { get; }
    public ILiteCollection<BsonDocument> Servers { get; }
}
