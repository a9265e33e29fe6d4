using Hangfire;

namespace QwenVlStudio.Hangfire.LiteDb.TestHost;

/// <summary>The jobs the test host runs.</summary>
public static class HostJobs
{
    private static readonly object FileGate = new();

    /// <summary>Works for a while, then appends <paramref name="number"/> as a line to <paramref name="outputFile"/>.</summary>
    public static void Append(string outputFile, int number, int workMilliseconds)
    {
        if (workMilliseconds > 0) Thread.Sleep(workMilliseconds);
        lock (FileGate)
        {
            // Opened and closed per line: each line reaches the operating system before the job reports success.
            File.AppendAllText(outputFile, number + Environment.NewLine);
        }
    }

    /// <summary>Always fails, and is not retried, so that the dashboard has a failed job to show.</summary>
    [AutomaticRetry(Attempts = 0)]
    public static void Fail(int number) => throw new InvalidOperationException($"Job {number} fails on purpose.");
}
