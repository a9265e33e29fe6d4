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
        CachedJobs = new CachedCollection(collections.Jobs, CachedDocumentsPerCollection);
        CachedQueue = new CachedCollection(collections.Queue, CachedDocumentsPerCollection);
        CachedCounters = new CachedCollection(collections.Counters, CachedDocumentsPerCollection);
        Jobs = new JobDocuments(CachedJobs);
        Queue = new QueueView(collections);
        Sequences = sequences;
        Options = options;
        _clock = clock;
    }

    private const int CachedDocumentsPerCollection = 10_000;

    public Collections Collections { get; }

    /// <summary>Jobs, through the writer's cache of recently written documents.</summary>
    public CachedCollection CachedJobs { get; }

    /// <summary>Queue entries, through the writer's cache of recently written documents.</summary>
    public CachedCollection CachedQueue { get; }

    /// <summary>Counters, through the writer's cache of recently written documents.</summary>
    public CachedCollection CachedCounters { get; }

    /// <summary>Job documents of the current write; read and write jobs through this, not the collection.</summary>
    public JobDocuments Jobs { get; }

    public StorageSequences Sequences { get; }

    /// <summary>Waiting and fetched queue entries, as the writer knows them.</summary>
    public QueueView Queue { get; }

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

    /// <summary>Drops every cached document: the transaction they may have been changed in was rolled back.</summary>
    internal void ForgetCachedDocuments()
    {
        Jobs.Discard();
        CachedJobs.Forget();
        CachedQueue.Forget();
        CachedCounters.Forget();
        Queue.Invalidate();
    }
}
