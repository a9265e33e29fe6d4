namespace QwenVlStudio.Web.Batches;

/// <summary>Where Hangfire keeps the batch jobs (configuration "Batch:Storage").</summary>
public enum BatchStorageKind
{
    /// <summary>The project's embedded LiteDB storage (QwenVlStudio.Hangfire.LiteDb): durable, one process. The default.</summary>
    LiteDb,

    /// <summary>Hangfire.InMemory: nothing survives a restart except what the app's own database knows (for development).</summary>
    InMemory,

    /// <summary>Hangfire.PostgreSql, for several servers sharing one job store ("Batch:PostgreSqlConnection").</summary>
    PostgreSql,
}
