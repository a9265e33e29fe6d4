using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Reads of background jobs.</summary>
internal static class JobReads
{
    public static JobRecord? Find(Collections collections, string jobId) =>
        JobIds.TryParse(jobId, out var id) ? Find(collections, id) : null;

    public static JobRecord? Find(Collections collections, long id) =>
        collections.Jobs.FindById(id) is { } document ? new JobRecord(document) : null;
}
