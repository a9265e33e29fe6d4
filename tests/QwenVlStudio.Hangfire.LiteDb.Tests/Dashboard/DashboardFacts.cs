using QwenVlStudio.Hangfire.LiteDb.Tests.Support;
using Xunit.Abstractions;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Dashboard;

/// <summary>
/// The Hangfire dashboard, served by the test host on the LiteDB storage, answers its main pages with the numbers
/// of what the host did: 20 jobs succeeded, 2 failed, 3 scheduled, 1 recurring job.
/// </summary>
[Trait(TestCategories.Name, TestCategories.ChildProcess)]
[Collection(ServerCollection.Name)]
public sealed class DashboardFacts(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Dashboard_ServesItsMainPages_WithTheStorageNumbers()
    {
        using var host = TestHostProcess.Start(
            "--db", _directory.File("jobs.db"), "--out", _directory.File("executed.txt"),
            "--enqueue", "20", "--fail", "2", "--schedule", "3", "--recurring", "1");
        var url = host.WaitForLine("URL", Patience);
        host.WaitForLine("ENQUEUED", Patience);
        using var dashboard = new DashboardClient(url);
        Assert.True(await PatientlyAsync(async () =>
        {
            var metrics = await dashboard.MetricsAsync("succeeded:count", "failed:count");
            return metrics["succeeded:count"] == 20 && metrics["failed:count"] == 2;
        }), host.Transcript);

        var metrics = await dashboard.MetricsAsync(
            "succeeded:count", "failed:count", "scheduled:count", "recurring:count", "servers:count", "processing:count",
            "enqueued-queues:count", "deleted:count", "awaiting:count", "retries:count");
        output.WriteLine(string.Join(", ", metrics.Select(metric => $"{metric.Key}={metric.Value}")));
        Assert.Equal(3, metrics["scheduled:count"]);
        Assert.Equal(1, metrics["recurring:count"]);
        Assert.Equal(1, metrics["servers:count"]);
        Assert.Equal(0, metrics["processing:count"]);
        Assert.Equal(0, metrics["enqueued-queues:count"]);

        var home = await PageAsync(dashboard, "");
        Assert.Equal(2, DashboardClient.MetricShown(home, "failed:count-or-null"));
        Assert.Equal(1, DashboardClient.MetricShown(home, "recurring:count"));
        var succeeded = await PageAsync(dashboard, "jobs/succeeded");
        Assert.Equal(20, DashboardClient.TotalItems(succeeded));
        Assert.Equal(20, DashboardClient.MetricShown(succeeded, "succeeded:count"));
        Assert.Equal(2, DashboardClient.MetricShown(succeeded, "failed:count"));
        Assert.Equal(3, DashboardClient.MetricShown(succeeded, "scheduled:count"));
        Assert.Equal(2, DashboardClient.TotalItems(await PageAsync(dashboard, "jobs/failed")));
        Assert.Equal(3, DashboardClient.TotalItems(await PageAsync(dashboard, "jobs/scheduled")));
        var recurring = await PageAsync(dashboard, "recurring");
        Assert.Contains("nightly-0", recurring);
        var servers = await PageAsync(dashboard, "servers");
        Assert.Equal(1, DashboardClient.MetricShown(servers, "servers:count"));
        var queues = await PageAsync(dashboard, "jobs/enqueued");
        Assert.Contains("default", queues);
        foreach (var page in new[] { "jobs/processing", "jobs/deleted", "jobs/awaiting", "retries", "jobs/enqueued/default" })
        {
            await PageAsync(dashboard, page);
        }

        var failedJobId = System.Text.RegularExpressions.Regex.Match(
            await PageAsync(dashboard, "jobs/failed"), @"jobs/details/(\d+)").Groups[1].Value;
        var details = await PageAsync(dashboard, $"jobs/details/{failedJobId}");
        Assert.Contains("fails on purpose", details);
        Assert.Equal(0, host.Stop(Patience));
    }

    private static async Task<string> PageAsync(DashboardClient dashboard, string path)
    {
        var (status, html) = await dashboard.PageAsync(path);
        Assert.True(status == 200, $"GET /hangfire/{path} answered {status}.");
        return html;
    }

    private static Task<bool> PatientlyAsync(Func<Task<bool>> condition) => Poll.WithinAsync(condition, Patience);

    public void Dispose() => _directory.Dispose();
}
