using System.Globalization;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Hangfire job ids are strings; this storage's are the decimal form of an Int64 document id.</summary>
internal static class JobIds
{
    /// <summary>Parses a job id; an id this storage could not have issued is simply not found.</summary>
    public static bool TryParse(string jobId, out long id) =>
        long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
