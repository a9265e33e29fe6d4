using QwenVlStudio.Hangfire.LiteDb.Database;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Jobs by current state, in the order the dashboard lists them (by state time, then id).</summary>
internal static class StateLists
{
    public static List<JobRecord> Page(Collections collections, string stateName, int from, int count, bool newestFirst) =>
        KeyRange.OfOwner(collections.Jobs, Schema.Jobs.StateKey, IndexKeys.StateListOwner(stateName), newestFirst)
            .Skip(from).Limit(count).ToEnumerable()
            .Select(static document => new JobRecord(document))
            .ToList();

    public static long Count(Collections collections, string stateName, int? limit) =>
        KeyRange.CountOfOwner(collections.Jobs, Schema.Jobs.StateKey, IndexKeys.StateListOwner(stateName), limit);
}
