using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using QwenVlStudio.Hangfire.LiteDb;
using QwenVlStudio.Hangfire.LiteDb.Bench;

// Enqueue + process N trivial jobs on Hangfire.InMemory and on the LiteDB storage, in the same run, and print
// jobs/s of each and their ratio. Then repeat on the same LiteDB file for several rounds with a short job expiration,
// to show that throughput and file size stay level as finished jobs pile up and expire.
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.Directory);
GlobalConfiguration.Configuration.UseIgnoredAssemblyVersionTypeResolver();
Console.WriteLine($"{options.Jobs} jobs, {options.Workers} workers, {options.Producers} producers, {Environment.ProcessorCount} cores");

double inMemory;
using (var storage = new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = null }))
{
    ThroughputRun.JobsPerSecond(storage, options with { Jobs = Math.Min(options.Jobs, 1000) }); // warm-up
    inMemory = ThroughputRun.JobsPerSecond(storage, options);
}

Console.WriteLine($"Hangfire.InMemory : {inMemory,8:F0} jobs/s");

var file = Path.Combine(options.Directory, $"bench-{Guid.NewGuid():N}.db");
var liteDbOptions = new LiteDbStorageOptions { ExpirationCheckInterval = TimeSpan.FromSeconds(1) };
using (var storage = new LiteDbStorage(file, liteDbOptions) { JobExpirationTimeout = TimeSpan.FromSeconds(2) })
{
    ThroughputRun.JobsPerSecond(storage, options with { Jobs = Math.Min(options.Jobs, 1000) }); // warm-up
    for (var round = 1; round <= options.Rounds; round++)
    {
        var liteDb = ThroughputRun.JobsPerSecond(storage, options);
        Thread.Sleep(TimeSpan.FromSeconds(3)); // past the job expiration
        var removed = storage.RemoveExpiredRecords();
        var size = new FileInfo(file).Length + new FileInfo(Path.ChangeExtension(file, null) + "-log.db").Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LiteDB round {round}  : {liteDb,8:F0} jobs/s  ratio {liteDb / inMemory:P1}  " +
            $"(writes per commit: {(double)storage.Writes.Statistics.Writes / storage.Writes.Statistics.Commits:F1}, " +
            $"expired records removed after the round: {removed}, file + log: {size / 1024} KiB)"));
    }
}

File.Delete(file);
File.Delete(Path.ChangeExtension(file, null) + "-log.db");
