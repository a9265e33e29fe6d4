using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using QwenVlStudio.Hangfire.LiteDb;
using QwenVlStudio.Hangfire.LiteDb.Bench;

// Enqueue + process N trivial jobs on Hangfire.InMemory and on the LiteDB storage, in the same run, and print
// jobs/s of each and their ratio. InMemory is measured three times (its median is the reference); LiteDB runs
// several rounds on one file, which shows whether throughput and file size stay level as finished jobs pile up
// (--expire-seconds large) or come and go (the default: they expire 2 s after finishing).
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.Directory);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.Jobs} jobs per run, {options.Workers} workers, {options.Producers} enqueueing threads, {Environment.ProcessorCount} cores"));

var inMemoryRuns = new List<double>();
using (var storage = new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = null }))
{
    ThroughputRun.JobsPerSecond(storage, options with { Jobs = Math.Min(options.Jobs, 1000) }); // warm-up
    for (var run = 1; run <= 3; run++)
    {
        inMemoryRuns.Add(ThroughputRun.JobsPerSecond(storage, options));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Hangfire.InMemory run {run}: {inMemoryRuns[^1],8:F0} jobs/s"));
    }
}

var inMemory = Median(inMemoryRuns);
var file = Path.Combine(options.Directory, $"bench-{Guid.NewGuid():N}.db");
var log = Path.Combine(options.Directory, Path.GetFileNameWithoutExtension(file) + "-log.db");
var liteDbRuns = new List<double>();
// The dashboard limit is lifted so that the count of kept finished jobs printed below is exact.
var liteDbOptions = new LiteDbStorageOptions { ExpirationCheckInterval = TimeSpan.FromSeconds(1), DashboardJobListLimit = null };
var expiration = TimeSpan.FromSeconds(options.ExpireSeconds);
using (var storage = new LiteDbStorage(file, liteDbOptions) { JobExpirationTimeout = expiration })
{
    ThroughputRun.JobsPerSecond(storage, options with { Jobs = Math.Min(options.Jobs, 1000) }); // warm-up
    for (var round = 1; round <= options.Rounds; round++)
    {
        var commitsBefore = storage.Writes.Statistics.Commits;
        var writesBefore = storage.Writes.Statistics.Writes;
        liteDbRuns.Add(ThroughputRun.JobsPerSecond(storage, options));
        var writesPerCommit = (double)(storage.Writes.Statistics.Writes - writesBefore) /
            (storage.Writes.Statistics.Commits - commitsBefore);
        if (expiration < TimeSpan.FromMinutes(1)) Thread.Sleep(expiration + TimeSpan.FromSeconds(1));
        var removed = storage.RemoveExpiredRecords();
        var finished = storage.GetMonitoringApi().SucceededListCount();
        var size = new FileInfo(file).Length + (File.Exists(log) ? new FileInfo(log).Length : 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LiteDB round {round}      : {liteDbRuns[^1],8:F0} jobs/s  {liteDbRuns[^1] / inMemory,6:P1} of InMemory  " +
            $"({writesPerCommit:F1} writes per commit; then {removed} expired records removed, {finished} finished jobs " +
            $"kept, file + log {size / 1024} KiB)"));
    }
}

File.Delete(file);
File.Delete(log);
var liteDb = Median(liteDbRuns);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Median: Hangfire.InMemory {inMemory:F0} jobs/s, LiteDB {liteDb:F0} jobs/s, ratio {liteDb / inMemory:P1} (goal: at least 25 %)"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
