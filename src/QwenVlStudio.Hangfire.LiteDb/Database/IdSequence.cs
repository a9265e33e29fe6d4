using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// Hands out ascending Int64 document ids. The storage owns its file exclusively, so an in-memory counter seeded
/// from the largest stored id is enough; ids are needed before commit (a transaction's CreateJob returns one, and
/// composite index keys contain them). Ids of rolled-back writes are simply skipped.
/// </summary>
internal sealed class IdSequence
{
    private long _last;

    private IdSequence(long last) => _last = last;

    public static IdSequence After(ILiteCollection<BsonDocument> collection)
    {
        // LiteDB's Max() throws on an empty collection; the _id index gives the largest id directly.
        var last = collection.Query().OrderByDescending("$._id").Select("$._id").Limit(1).FirstOrDefault();
        var id = last?["_id"];
        return new IdSequence(id is { IsNumber: true } ? id.AsInt64 : 0);
    }

    public long Next() => Interlocked.Increment(ref _last);
}
