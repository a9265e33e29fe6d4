namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>Settings of a <see cref="LiteDbStorage"/>. Every value is checked when the storage is created.</summary>
public sealed class LiteDbStorageOptions
{
    /// <summary>
    /// How often an idle worker looks at its queues again. Jobs enqueued by this process wake workers at once;
    /// polling only finds entries whose invisibility timeout has run out. Default: 1 second.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a fetched queue entry stays invisible without news from its worker. A live worker keeps its entry
    /// invisible (it refreshes <c>FetchedAt</c> every fifth of this time); an entry whose worker stopped renewing it
    /// becomes fetchable again after this timeout. (Entries taken by a process that has ended are put back as soon as
    /// the file is opened again, without waiting.) Default: 5 minutes.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often expired jobs, hashes, sets, lists and counters are removed. Default: 1 minute.</summary>
    public TimeSpan ExpirationCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many expired records one expiration step removes in one commit. Default: 1000.</summary>
    public int ExpirationBatchSize { get; set; } = 1000;

    /// <summary>
    /// The most jobs the dashboard counts in one state list (the numbers shown saturate at this value), so that a
    /// huge list does not make every dashboard refresh slow. <c>null</c>: count them all. Default: 10,000.
    /// </summary>
    public int? DashboardJobListLimit { get; set; } = 10_000;

    /// <summary>How many state changes of a job are kept for its history (oldest are dropped). Default: 20.</summary>
    public int MaxStateHistoryLength { get; set; } = 20;

    /// <summary>What a returned commit guarantees. Default: <see cref="LiteDbCommitDurability.ProcessCrash"/>.</summary>
    public LiteDbCommitDurability CommitDurability { get; set; } = LiteDbCommitDurability.ProcessCrash;

    /// <summary>
    /// With <see cref="LiteDbCommitDurability.ProcessCrash"/>, how often the log is flushed to the disk. Default: 1 second.
    /// </summary>
    public TimeSpan LogFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most write requests that one group commit applies together. Default: 256.</summary>
    public int MaxWritesPerCommit { get; set; } = 256;

    /// <summary>The clock of the storage (creation, expiration, heartbeats, invisibility). Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        RequirePositive(QueuePollInterval, nameof(QueuePollInterval));
        RequirePositive(InvisibilityTimeout, nameof(InvisibilityTimeout));
        RequirePositive(ExpirationCheckInterval, nameof(ExpirationCheckInterval));
        RequirePositive(LogFlushInterval, nameof(LogFlushInterval));
        RequirePositive(ExpirationBatchSize, nameof(ExpirationBatchSize));
        RequirePositive(MaxStateHistoryLength, nameof(MaxStateHistoryLength));
        RequirePositive(MaxWritesPerCommit, nameof(MaxWritesPerCommit));
        if (DashboardJobListLimit is { } limit) RequirePositive(limit, nameof(DashboardJobListLimit));
        if (!Enum.IsDefined(CommitDurability))
        {
            throw new ArgumentOutOfRangeException(nameof(CommitDurability), CommitDurability, "Unknown commit durability.");
        }

        if (TimeProvider is null) throw new ArgumentNullException(nameof(TimeProvider));
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive, finite time span.");
        }
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero.");
    }
}
