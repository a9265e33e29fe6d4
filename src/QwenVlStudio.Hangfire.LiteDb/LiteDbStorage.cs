using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Data;
using QwenVlStudio.Hangfire.LiteDb.Database;
using QwenVlStudio.Hangfire.LiteDb.Expiration;
using QwenVlStudio.Hangfire.LiteDb.Fetching;
using QwenVlStudio.Hangfire.LiteDb.Locking;
using QwenVlStudio.Hangfire.LiteDb.Writing;

namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>
/// Hangfire job storage in one LiteDB file: embedded, durable (a commit survives the process), at-least-once
/// processing with SQL-Server-style fetch/acknowledge. The file belongs to one process at a time; a second storage
/// on it fails with <see cref="LiteDbStorageInUseException"/>. Dispose the storage to close the file cleanly (a
/// killed process is recovered from the log when the file is opened again).
/// </summary>
public sealed class LiteDbStorage : JobStorage, IDisposable
{
    private static readonly ILog Logger = LogProvider.GetLogger(typeof(LiteDbStorage));

    private static readonly HashSet<string> SupportedFeatures = new(StringComparer.OrdinalIgnoreCase)
    {
        JobStorageFeatures.ExtendedApi,
        JobStorageFeatures.JobQueueProperty,
        JobStorageFeatures.Connection.GetUtcDateTime,
        JobStorageFeatures.Connection.GetSetContains,
        JobStorageFeatures.Connection.LimitedGetSetCount,
        JobStorageFeatures.Connection.BatchedGetFirstByLowest,
        JobStorageFeatures.Transaction.AcquireDistributedLock,
        JobStorageFeatures.Transaction.CreateJob,
        JobStorageFeatures.Transaction.SetJobParameter,
        JobStorageFeatures.Transaction.RemoveFromQueue(typeof(LiteDbFetchedJob)),
        JobStorageFeatures.Monitoring.DeletedStateGraphs,
        JobStorageFeatures.Monitoring.AwaitingJobs,
    };

    private readonly LiteDbFile _file;
    private readonly Timer? _logFlushTimer;
    private int _disposed;

    /// <param name="pathOrConnectionString">
    /// The file path, or a LiteDB connection string ("Filename=jobs.db;Password=..."). Shared mode is refused.
    /// </param>
    /// <param name="options">Settings; defaults when null.</param>
    public LiteDbStorage(string pathOrConnectionString, LiteDbStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pathOrConnectionString);
        Options = options ?? new LiteDbStorageOptions();
        Options.Validate();
        var location = LiteDbLocation.Parse(pathOrConnectionString);

        _file = LiteDbFile.Open(location);
        try
        {
            Schema.EnsureIndexes(_file.Database);
            Collections = new Collections(_file.Database);
            Clock = Options.TimeProvider;
            Sequences = new StorageSequences(Collections);
            Writes = new WritePipeline(_file, new WriteSession(Collections, Sequences, Clock, Options), Options);
            RequeuedAtOpen = Writes.Execute(QueueWrites.RequeueOrphans);
            if (RequeuedAtOpen > 0) Logger.Info($"Put back {RequeuedAtOpen} queue entries fetched by a process that has ended.");
            KeepAlive = new FetchedJobKeepAlive(RenewFetchedEntries, Options.InvisibilityTimeout / 5);
            if (Options.CommitDurability == LiteDbCommitDurability.ProcessCrash)
            {
                _logFlushTimer = new Timer(_ => FlushLogOnTimer(), null, Options.LogFlushInterval, Options.LogFlushInterval);
            }
        }
        catch
        {
            Writes?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The settings this storage runs with.</summary>
    public LiteDbStorageOptions Options { get; }

    /// <summary>
    /// How many queue entries were still marked fetched when the file was opened, and were put back: jobs that a
    /// previous process had taken and not finished when it ended (they run again, at least once).
    /// </summary>
    public int RequeuedAtOpen { get; }

    /// <summary>Full path of the data file.</summary>
    public string FilePath => _file.Location.DataFile;

    internal Collections Collections { get; }

    internal StorageSequences Sequences { get; }

    internal WritePipeline Writes { get; }

    internal DistributedLocks Locks { get; } = new();

    internal QueueSignal QueueSignal { get; } = new();

    internal FetchedJobKeepAlive KeepAlive { get; }

    internal TimeProvider Clock { get; }

    internal DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    /// <summary>A commit is visible to every read that starts after it returns.</summary>
    public override bool LinearizableReads => true;

    public override bool HasFeature(string featureId)
    {
        ArgumentNullException.ThrowIfNull(featureId);
        return SupportedFeatures.Contains(featureId) || base.HasFeature(featureId);
    }

    public override IStorageConnection GetConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new LiteDbConnection(this);
    }

    public override IMonitoringApi GetMonitoringApi()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new Monitoring.LiteDbMonitoringApi(this);
    }

    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses()
    {
        yield return new ExpirationManager(this, Options.ExpirationCheckInterval);
    }

    /// <summary>
    /// Removes every record whose expiration time has passed (by the storage clock), one batch per commit; the
    /// expiration manager calls this every check interval. Returns how many records were removed.
    /// </summary>
    public int RemoveExpiredRecords(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int removed;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            removed = Writes.Execute(session => ExpiredRecords.RemoveBatch(session, Options.ExpirationBatchSize));
            total += removed;
        }
        while (removed > 0);

        return total;
    }

    public override void WriteOptionsToLog(ILog logger)
    {
        logger.Info($"Using LiteDB job storage at '{FilePath}': commit durability {Options.CommitDurability}, " +
            $"invisibility timeout {Options.InvisibilityTimeout}, queue poll interval {Options.QueuePollInterval}, " +
            $"expiration check interval {Options.ExpirationCheckInterval}.");
    }

    public override string ToString() => $"LiteDB storage at '{FilePath}'";

    /// <summary>Commits what is waiting, checkpoints the log into the data file and releases the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _logFlushTimer?.Dispose();
        KeepAlive.Dispose();
        Writes.Dispose();
        _file.Dispose();
    }

    private List<QueueEntry> RenewFetchedEntries(IReadOnlyCollection<QueueEntry> claims) =>
        Writes.Execute(session => QueueWrites.KeepInvisible(session, claims));

    private void FlushLogOnTimer()
    {
        try
        {
            if (_disposed == 0) _file.FlushLogToDisk();
        }
        catch (ObjectDisposedException) when (_disposed != 0)
        {
            // The storage closed between the check and the flush: closing has flushed everything already.
        }
        catch (Exception ex)
        {
            // Never throw on a timer thread (that would end the process); the next tick tries again.
            Logger.WarnException($"Could not flush the LiteDB log of '{FilePath}' to the disk.", ex);
        }
    }
}
