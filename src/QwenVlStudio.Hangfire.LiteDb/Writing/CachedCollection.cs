using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// A collection as the writer thread sees it, with the documents it wrote recently kept in memory. The writer is
/// the only thread that changes the file, so its own copy of a document is the stored one and looking it up again
/// in LiteDB (the costliest part of "find, change, update") can be skipped. When a transaction is rolled back the
/// copies may hold changes that never reached the file, so the storage forgets them all (<see cref="Forget()"/>).
/// Only the writer thread may use this class.
/// </summary>
internal sealed class CachedCollection(ILiteCollection<BsonDocument> collection, int capacity)
{
    private readonly Dictionary<BsonValue, BsonDocument> _documents = new();

    public ILiteCollection<BsonDocument> Collection => collection;

    public BsonDocument? FindById(BsonValue id)
    {
        if (_documents.TryGetValue(id, out var cached)) return cached;
        var document = collection.FindById(id);
        if (document is not null) Remember(id, document);
        return document;
    }

    /// <summary>Remembers a document just read from the collection by a query (its stored state).</summary>
    public void Remember(BsonDocument document) => Remember(document[Schema.Id], document);

    public void Insert(BsonDocument document)
    {
        collection.Insert(document);
        Remember(document[Schema.Id], document);
    }

    public void Update(BsonDocument document)
    {
        collection.Update(document);
        Remember(document[Schema.Id], document);
    }

    public bool Delete(BsonValue id)
    {
        _documents.Remove(id);
        return collection.Delete(id);
    }

    /// <summary>Forgets every copy (after a rollback, or when documents were changed around the cache).</summary>
    public void Forget() => _documents.Clear();

    public void Forget(BsonValue id) => _documents.Remove(id);

    private void Remember(BsonValue id, BsonDocument document)
    {
        // Recently written documents are the ones written again (a job's next state, its queue entry's ack), so
        // starting afresh when full keeps the cache small and still useful without bookkeeping per access.
        if (_documents.Count >= capacity && !_documents.ContainsKey(id)) _documents.Clear();
        _documents[id] = document;
    }
}
