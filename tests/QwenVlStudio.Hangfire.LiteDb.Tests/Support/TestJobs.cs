using Hangfire;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>Job methods for the facts. Each records its run in <see cref="JobLedger"/> under the test's run id.</summary>
public static class TestJobs
{
    /// <summary>Does nothing; for jobs that are stored but never run.</summary>
    public static void Noop(int number) => GC.KeepAlive(number);

    public static void Record(string run, int number) => JobLedger.Record(run, number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void RecordText(string run, string text) => JobLedger.Record(run, text);

    /// <summary>Fails on its first run and succeeds on the second (retried at once).</summary>
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = [0])]
    public static void FailFirstAttempt(string run)
    {
        var attempt = JobLedger.Record(run, "attempt");
        if (attempt == 1) throw new InvalidOperationException("First attempt fails on purpose.");
    }

    /// <summary>Enqueues <paramref name="children"/> jobs from inside a job, as a batch would.</summary>
    public static void FanOut(string run, int children)
    {
        var client = new BackgroundJobClient(StorageRegistry.Get(run));
        for (var i = 0; i < children; i++)
        {
            var number = i;
            client.Enqueue(() => Record(run, number));
        }
    }
}
