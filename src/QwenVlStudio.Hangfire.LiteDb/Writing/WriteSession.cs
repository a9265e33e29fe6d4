using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Writing;

/// <summary>
/// What a write sees while the writer thread applies it inside the current LiteDB transaction: the collections,
/// the storage's clock reading for this write, and a place for actions that may only run once the commit is durable
/// (waking workers, marking a fetched job acknowledged).
/// </summary>
internal sealed class WriteSession
{
    private readonly TimeProvider _clock;
    private List<Action>? _afterCommit;

    public WriteSession(Collections collections, StorageSequences sequences, TimeProvider clock, LiteDbStorageOptions options)
    {
        Collections = collections;
        Jobs = new JobDocuments(collections);
        Sequences = sequences;
        Options = options;
        _clock = clock;
    }

    public Collections Collections { get; }

    /// <summary>Job documents of the current write; read and write jobs through this, not the collection.</summary>
    public JobDocuments Jobs { get; }

    public StorageSequences Sequences { get; }

    /// <summary>Queue names known to be stored.</summary>
    public QueueNames QueueNames { get; } = new();

    public LiteDbStorageOptions Options { get; }

    /// <summary>The storage clock, read once when this write started (UTC).</summary>
    public DateTime Now { get; private set; }

    /// <summary>Runs <paramref name="action"/> on the writer thread after this write has been committed.</summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal void Begin(List<Action> afterCommitOfWrite)
    {
        Now = _clock.GetUtcNow().UtcDateTime;
        afterCommitOfWrite.Clear();
        _afterCommit = afterCommitOfWrite;
        Jobs.Discard();
    }

    /// <summary>Stores what the current write left in its caches.</summary>
    internal void End() => Jobs.Flush();
}
