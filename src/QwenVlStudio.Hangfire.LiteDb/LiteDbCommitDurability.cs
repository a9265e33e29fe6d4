namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>What has happened to a committed write when <c>Commit</c> returns.</summary>
public enum LiteDbCommitDurability
{
    /// <summary>
    /// The commit's pages have been handed to the operating system: the write survives the process being killed
    /// or crashing. The log is flushed to the disk every <see cref="LiteDbStorageOptions.LogFlushInterval"/>, so a
    /// power loss can drop the last moments of work (LiteDB then recovers to an earlier consistent state).
    /// </summary>
    ProcessCrash,

    /// <summary>
    /// The log is flushed to the disk (fsync) before <c>Commit</c> returns, as a database server does. Safe against
    /// power loss; costs one fsync per group commit.
    /// </summary>
    PowerLoss,
}
