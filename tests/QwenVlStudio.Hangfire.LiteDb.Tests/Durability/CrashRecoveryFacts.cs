using System.Diagnostics;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;
using Xunit.Abstractions;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Durability;

/// <summary>
/// A Hangfire server on a LiteDB file is killed with SIGKILL half-way through 500 jobs; a new server on the same file
/// finishes them. Every job must have run at least once (none lost), the file must open cleanly, and the
/// dashboard's numbers must match what ran.
/// </summary>
[Trait(TestCategories.Name, TestCategories.ChildProcess)]
[Collection(ServerCollection.Name)]
public sealed class CrashRecoveryFacts(ITestOutputHelper output) : IDisposable
{
    private const int Jobs = 500;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _directory = new();

    private string Database => _directory.File("jobs.db");

    private string Executed => _directory.File("executed.txt");

    [Fact]
    public async Task Server_LosesNoJob_WhenKilledMidwayAndRestartedOnTheSameFile()
    {
        var watch = Stopwatch.StartNew();
        int linesAtKill;
        using (var first = TestHostProcess.Start(
            "--db", Database, "--out", Executed, "--enqueue", $"{Jobs}", "--workers", "4", "--job-ms", "10"))
        {
            first.WaitForLine("ENQUEUED", Patience);
            Assert.True(Poll.Within(() => ExecutedLines().Count >= Jobs / 5, Patience), first.Transcript);
            first.Kill();
            linesAtKill = ExecutedLines().Count;
        }

        Assert.True(linesAtKill < Jobs, $"The first server finished all {Jobs} jobs before it was killed; nothing was tested.");

        IReadOnlyDictionary<string, long> metrics;
        string requeued;
        using (var second = TestHostProcess.Start("--db", Database, "--out", Executed, "--workers", "4"))
        {
            requeued = second.WaitForLine("REQUEUED", Patience);
            var url = second.WaitForLine("URL", Patience);
            Assert.True(Poll.Within(() => DistinctExecuted() == Jobs, Patience),
                $"{DistinctExecuted()} of {Jobs} jobs ran.{Environment.NewLine}{second.Transcript}");

            using var dashboard = new DashboardClient(url);
            metrics = await WaitForSettledMetricsAsync(dashboard);
            Assert.Equal(0, second.Stop(Patience));
        }

        var lines = ExecutedLines();
        var numbers = lines.Select(int.Parse).ToList();
        var lost = Enumerable.Range(0, Jobs).Except(numbers).ToList();
        output.WriteLine($"Executed lines at kill: {linesAtKill}; after restart: {lines.Count}; " +
            $"distinct jobs: {numbers.Distinct().Count()}; ran twice (in flight at the kill): {lines.Count - numbers.Distinct().Count()}; " +
            $"lost: {lost.Count}; entries of the killed server put back at restart: {requeued}; " +
            $"total time {watch.Elapsed.TotalSeconds:F1} s.");
        output.WriteLine("Dashboard after restart: " + string.Join(", ", metrics.Select(metric => $"{metric.Key}={metric.Value}")));

        Assert.Empty(lost);
        Assert.Equal(Jobs, metrics["succeeded:count"]);
        Assert.Equal(0, metrics["enqueued-queues:count"]);
        Assert.Equal(0, metrics["processing:count"]);
        Assert.Equal(0, metrics["failed:count"]);

        // The file opens cleanly in this process and tells the same story.
        using var storage = new LiteDbStorage(Database);
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(Jobs, monitoring.SucceededListCount());
        Assert.Equal(Jobs, monitoring.GetStatistics().Succeeded);
        Assert.Equal(0, monitoring.EnqueuedCount("default"));
        Assert.Equal(0, monitoring.FetchedCount("default"));
        Assert.Equal(0, monitoring.ProcessingCount());
    }

    private static async Task<IReadOnlyDictionary<string, long>> WaitForSettledMetricsAsync(DashboardClient dashboard)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var metrics = await dashboard.MetricsAsync(
                "succeeded:count", "enqueued-queues:count", "processing:count", "failed:count");
            var settled = metrics["succeeded:count"] == Jobs && metrics["processing:count"] == 0;
            if (settled || watch.Elapsed > Patience) return metrics;
            await Task.Delay(50);
        }
    }

    private List<string> ExecutedLines() =>
        File.Exists(Executed)
            ? File.ReadAllLines(Executed).Where(line => line.Length > 0).ToList()
            : [];

    private int DistinctExecuted() => ExecutedLines().Distinct().Count();

    public void Dispose() => _directory.Dispose();
}
