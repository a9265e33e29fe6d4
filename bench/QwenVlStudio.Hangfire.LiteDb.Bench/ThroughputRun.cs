using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;

namespace QwenVlStudio.Hangfire.LiteDb.Bench;

/// <summary>
/// One measurement: a Hangfire server runs while producers enqueue N trivial jobs; the clock stops when all N have
/// run and the storage reports them succeeded.
/// </summary>
internal static class ThroughputRun
{
    public static double JobsPerSecond(JobStorage storage, BenchOptions options)
    {
        // Completion is read from the "stats:succeeded" counter, a single lookup on both storages, so that watching
        // the run does not compete with it for the CPU (the dashboard's full statistics are heavier).
        using var connection = storage.GetConnection();
        var counters = (JobStorageConnection)connection;
        var succeededBefore = counters.GetCounter("stats:succeeded");
        var executedBefore = BenchJobs.Executed;
        var client = new BackgroundJobClient(storage);
        var serverOptions = new BackgroundJobServerOptions { WorkerCount = options.Workers };

        var watch = Stopwatch.StartNew();
        using (new BackgroundJobServer(serverOptions, storage))
        {
            Parallel.For(0, options.Jobs, new ParallelOptions { MaxDegreeOfParallelism = options.Producers },
                number => client.Enqueue(() => BenchJobs.Trivial(number)));

            var deadline = Stopwatch.StartNew();
            while (counters.GetCounter("stats:succeeded") - succeededBefore < options.Jobs)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("The jobs did not finish in 10 minutes.");
                Thread.Sleep(5);
            }

            watch.Stop();
        }

        var executed = BenchJobs.Executed - executedBefore;
        if (executed != options.Jobs) throw new InvalidOperationException($"{executed} executions for {options.Jobs} jobs.");
        return options.Jobs / watch.Elapsed.TotalSeconds;
    }
}
