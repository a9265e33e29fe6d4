using Hangfire.Common;
using Hangfire.Storage;

namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>Loading a stored job's method, reporting (not throwing) when its type or method no longer exists.</summary>
internal static class InvocationDataExtensions
{
    public static Job? TryGetJob(this InvocationData invocation, out JobLoadException? loadException)
    {
        try
        {
            loadException = null;
            return invocation.DeserializeJob();
        }
        catch (JobLoadException ex)
        {
            // Hangfire shows such jobs with their load error (dashboard) or fails them (worker); both need the error.
            loadException = ex;
            return null;
        }
    }
}
