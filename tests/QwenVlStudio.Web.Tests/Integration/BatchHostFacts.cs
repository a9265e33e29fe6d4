using System.Net;
using System.Text;
using Hangfire;
using QwenVlStudio.Hangfire.LiteDb;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Jobs;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Tests.Batches;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>Batches in the real host: Hangfire on the LiteDB storage, the shared engine (fake), the HTTP endpoints.</summary>
public sealed class BatchHostFacts : IClassFixture<StudioFactory>
{
    private readonly StudioFactory _factory;

    public BatchHostFacts(StudioFactory factory) => _factory = factory;

    private QwenVlStudio.Web.Data.UserRecord NewUser() => _factory.CreateUser("batch" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Batch_Of20ImagesWith3BadOnes_Finishes17DoneAnd3FailedWithReasons()
    {
        await _factory.WaitForEngineAsync();
        var user = NewUser();
        var inputs = BatchInputs.Images(17);
        inputs.Insert(3, BatchInput.FromBytes("notes.csv", BadImages.NotAnImage()));
        inputs.Insert(9, BatchInput.FromBytes("bomb.png", BadImages.PixelBomb()));
        inputs.Insert(15, BatchInput.FromBytes("cut.png", BadImages.Truncated()));
        var batches = _factory.Get<BatchService>();

        var batch = batches.Create(user.Id, BatchInputs.Request(), inputs);
        var progress = await BatchInputs.WaitUntilFinishedAsync(batches, user.Id, batch.Id);

        Assert.Equal((20, 17, 3, BatchState.Completed, 100), (progress.Total, progress.Done, progress.Failed, progress.State, progress.Percent));
        var items = _factory.Get<BatchStore>().Items(user.Id, batch.Id);
        var failed = items.Where(i => i.Status == BatchItemStatus.Failed).ToDictionary(i => i.FileName, i => i.Error);
        Assert.Equal(["bomb.png", "cut.png", "notes.csv"], failed.Keys.Order());
        Assert.Contains("not an image", failed["notes.csv"]);
        Assert.Contains("pixels", failed["bomb.png"]);
        Assert.Contains("truncated", failed["cut.png"]);
        Assert.All(items.Where(i => i.Status == BatchItemStatus.Done), i => Assert.StartsWith("Fake answer:", i.Answer));

        // The jobs ran on the project's LiteDB storage, in the data folder.
        Assert.IsType<LiteDbStorage>(_factory.Get<JobStorage>());
        Assert.True(File.Exists(Path.Combine(_factory.DataFolder, "hangfire.db")));
        using var connection = _factory.Get<JobStorage>().GetConnection();
        Assert.Equal("Succeeded", connection.GetStateData(items[0].JobId!).Name);
    }

    [Fact]
    public async Task Downloads_GiveOneRowPerItem_ToTheOwnerOnly()
    {
        await _factory.WaitForEngineAsync();
        var owner = NewUser();
        var stranger = NewUser();
        var batches = _factory.Get<BatchService>();
        var inputs = BatchInputs.Images(3);
        inputs.Add(BatchInput.FromBytes("ünïcødé, \"quoted\".png", TestImages.Png()));
        var batch = batches.Create(owner.Id, BatchInputs.Request("Wie heißt das?"), inputs);
        await BatchInputs.WaitUntilFinishedAsync(batches, owner.Id, batch.Id);
        using var ownerClient = await SignedInClient.CreateAsync(_factory, owner.UserName, "user-password-1");
        using var strangerClient = await SignedInClient.CreateAsync(_factory, stranger.UserName, "user-password-1");

        var csv = await ownerClient.GetAsync($"/batch/{batch.Id}/results.csv");
        var jsonl = await ownerClient.GetAsync($"/batch/{batch.Id}/results.jsonl");
        var progress = await ownerClient.GetStringAsync($"/batch/{batch.Id}/progress");
        var item = _factory.Get<BatchStore>().Items(owner.Id, batch.Id)[0];
        var thumbnail = await ownerClient.GetAsync($"/batch/{batch.Id}/items/{item.Id}/thumbnail");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
        var rows = CsvWriterFacts.ParseCsv(Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF'));
        Assert.Equal(5, rows.Count);
        Assert.Equal("ünïcødé, \"quoted\".png", rows[4][1]);
        Assert.All(rows.Skip(1), r => Assert.Equal("done", r[2]));
        Assert.All(rows.Skip(1), r => Assert.Equal("Wie heißt das?", r[3]));
        Assert.Equal(4, (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\"percent\":100", progress);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);

        foreach (var url in new[] { $"/batch/{batch.Id}/results.csv", $"/batch/{batch.Id}/results.jsonl", $"/batch/{batch.Id}/progress", $"/batch/{batch.Id}/items/{item.Id}/thumbnail", $"/batch/{batch.Id}" })
        {
            var response = await strangerClient.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Wie heißt das?", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        var user = NewUser();
        using var admin = await SignedInClient.CreateAsync(_factory, StudioFactory.AdminUser, StudioFactory.AdminPassword);
        using var plain = await SignedInClient.CreateAsync(_factory, user.UserName, "user-password-1");
        using var anonymous = SignedInClient.Anonymous(_factory);

        var adminPage = await admin.GetAsync("/hangfire");
        var userPage = await plain.GetAsync("/hangfire");
        var anonymousPage = await anonymous.GetAsync("/hangfire/jobs/enqueued");

        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
        Assert.Contains("QwenVL Studio · batch jobs", await adminPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire/jobs/succeeded")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, userPage.StatusCode);
        Assert.StartsWith("/access-denied", userPage.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.StartsWith("/login", anonymousPage.Headers.Location!.PathAndQuery);
    }
}
