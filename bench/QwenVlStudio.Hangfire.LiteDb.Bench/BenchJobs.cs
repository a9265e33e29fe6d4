namespace QwenVlStudio.Hangfire.LiteDb.Bench;

/// <summary>The trivial job of the benchmark: it only counts that it ran.</summary>
public static class BenchJobs
{
    private static long _executed;

    public static long Executed => Interlocked.Read(ref _executed);

    public static void Trivial(int number)
    {
        GC.KeepAlive(number);
        Interlocked.Increment(ref _executed);
    }
}
