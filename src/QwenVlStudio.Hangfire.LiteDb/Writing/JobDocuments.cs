using LiteDB;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// The job documents one write touches, loaded once and stored once. A Hangfire transaction typically creates a
/// job and sets its state, or sets a state and an expiration, in one go; without this each step would read and
/// rewrite the same document (and its index entries) again.
/// </summary>
internal sealed class JobDocuments(CachedCollection jobs)
{
    private readonly Dictionary<long, Entry> _entries = [];

    /// <summary>The job's document, or null when there is no such job.</summary>
    public BsonDocument? Find(long id)
    {
        if (_entries.TryGetValue(id, out var entry)) return entry.Document;
        var document = jobs.FindById(id);
        if (document is not null) _entries[id] = new Entry(document, IsNew: false, IsChanged: false);
        return document;
    }

    public void Add(BsonDocument document) =>
        _entries[document[Schema.Id].AsInt64] = new Entry(document, IsNew: true, IsChanged: true);

    /// <summary>Marks a document returned by <see cref="Find"/> as changed, to be stored by <see cref="Flush"/>.</summary>
    public void Changed(long id)
    {
        var entry = _entries[id];
        _entries[id] = entry with { IsChanged = true };
    }

    public void Delete(long id)
    {
        var isNew = _entries.TryGetValue(id, out var entry) && entry.IsNew;
        _entries.Remove(id);
        if (!isNew) jobs.Delete(id);
    }

    /// <summary>Stores every new or changed document and forgets them all.</summary>
    public void Flush()
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.IsNew) jobs.Insert(entry.Document);
            else if (entry.IsChanged) jobs.Update(entry.Document);
        }

        _entries.Clear();
    }

    /// <summary>Forgets everything without storing it (the write failed).</summary>
    public void Discard() => _entries.Clear();

    private readonly record struct Entry(BsonDocument Document, bool IsNew, bool IsChanged);
}
