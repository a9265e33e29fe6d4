using System.Globalization;
using System.Text;
using System.Text.Json;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Batches;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>
/// The app killed with SIGKILL mid-batch (real engine, real Hangfire LiteDB storage, in a child process) and started
/// again on the same files: the batch finishes, no item lost, none counted twice.
/// </summary>
[Trait(TestCategories.Name, TestCategories.ChildProcess)]
public sealed class BatchCrashRecoveryFacts
{
    private const int Total = 24;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Settings =
    [
        "--Batch:Workers=1", "--Governor:MaxConcurrentSequences=1", "--Governor:VisionThreads=1", "--Governor:DecoderThreads=1",
    ];

    [Fact]
    public async Task Kill_MidBatch_ThenRestart_FinishesEveryItemOnce()
    {
        var folder = TestPaths.NewTempFolder();
        var (owner, batchId) = await SeedAsync(folder);

        int doneAtKill;
        using (var first = StudioProcess.Start(folder, Settings))
        {
            await first.WaitUntilReadyAsync(StartTimeout);
            using var client = await first.SignInAsync("crash", "user-password-1");
            doneAtKill = await WaitForDoneAsync(client, batchId, atLeast: 3, first);
            first.Kill();
        }

        Assert.InRange(doneAtKill, 3, Total - 3); // the kill really landed mid-batch
        var restartedUtc = DateTime.UtcNow;
        using var second = StudioProcess.Start(folder, Settings);
        await second.WaitUntilReadyAsync(StartTimeout);
        using var restarted = await second.SignInAsync("crash", "user-password-1");
        await WaitForDoneAsync(restarted, batchId, atLeast: Total, second);

        var csv = Encoding.UTF8.GetString(await restarted.GetByteArrayAsync($"/batch/{batchId}/results.csv")).TrimStart('\uFEFF');
        var rows = CsvWriterFacts.ParseCsv(csv);
        var header = rows[0];
        var records = rows.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(Total, records.Count);
        Assert.Equal(Total, records.Select(r => r["file_name"]).Distinct().Count());
        Assert.All(records, r => Assert.Equal("done", r["status"]));
        Assert.All(records, r => Assert.False(string.IsNullOrEmpty(r["answer"])));
        // The second process did the rest of the work; at most the one item running at the kill ran twice.
        Assert.Contains(records, r => DateTime.Parse(r["finished_utc"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) > restartedUtc);
        Assert.InRange(records.Count(r => int.Parse(r["attempts"], CultureInfo.InvariantCulture) > 1), 0, 1);
        second.Kill();
    }

    /// <summary>A user and a batch stored by a host that runs no job server: the jobs wait in the LiteDB storage.</summary>
    private static async Task<(Guid Owner, Guid Batch)> SeedAsync(string folder)
    {
        await using var seeder = new StudioFactory(folder, null);
        seeder.Settings["Batch:RunServer"] = "false";
        await seeder.WaitForEngineAsync();
        var owner = seeder.CreateUser("crash").Id;
        var inputs = BatchInputs.Images(Total);
        var batch = seeder.Get<BatchService>().Create(owner, BatchInputs.Request("Describe the picture.", maxNewTokens: 48), inputs);
        Assert.All(seeder.Get<BatchStore>().Items(owner, batch.Id), i => Assert.Equal(BatchItemStatus.Pending, i.Status));
        return (owner, batch.Id);
    }

    private static async Task<int> WaitForDoneAsync(HttpClient client, Guid batchId, int atLeast, StudioProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using var progress = JsonDocument.Parse(await client.GetStringAsync($"/batch/{batchId}/progress"));
            var done = progress.RootElement.GetProperty("done").GetInt32();
            Assert.Equal(0, progress.RootElement.GetProperty("failed").GetInt32());
            if (done >= atLeast)
                return done;
            await Task.Delay(20);
        }

        throw new TimeoutException($"Fewer than {atLeast} items done in time.{Environment.NewLine}{process.Output}");
    }
}
