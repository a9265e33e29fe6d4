using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class BatchServiceFacts : IAsyncLifetime
{
    private readonly BatchHarness _harness = new();

    public Task InitializeAsync() => _harness.Engine.LoadAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void Create_StoresEveryFile_QueuesTheImages_AndFailsTheBadOnesWithReasons()
    {
        var batch = _harness.Create("What is it?",
            BatchInput.FromBytes("good.png", TestImages.Png()),
            BatchInput.FromBytes("notes.csv", BadImages.NotAnImage()),
            BatchInput.FromBytes("bomb.png", BadImages.PixelBomb()),
            BatchInput.Refused("inner.zip", "Refused in photos.zip: it is encrypted"),
            BatchInput.FromBytes("good.jpg", TestImages.Jpeg()));

        var items = _harness.Items(batch);
        Assert.Equal(["good.png", "notes.csv", "bomb.png", "inner.zip", "good.jpg"], items.Select(i => i.FileName));
        Assert.Equal(
            [BatchItemStatus.Pending, BatchItemStatus.Failed, BatchItemStatus.Failed, BatchItemStatus.Failed, BatchItemStatus.Pending],
            items.Select(i => i.Status));
        Assert.Contains("not an image", items[1].Error);
        Assert.Contains("100000×100000", items[2].Error);
        Assert.Contains("pixels", items[2].Error);
        Assert.Equal("Refused in photos.zip: it is encrypted", items[3].Error);
        Assert.All(items.Where(i => i.Status == BatchItemStatus.Pending), i => Assert.NotNull(i.JobId));
        Assert.All(items.Where(i => i.Status == BatchItemStatus.Failed), i => Assert.False(i.HasImage));
        Assert.Equal((32, 24, "image/png"), (items[0].Width, items[0].Height, items[0].ContentType));
        Assert.Equal(5, batch.Total);
    }

    [Fact]
    public void Create_RefusesTheBatch_WhenItCannotRunAtAll()
    {
        var image = BatchInput.FromBytes("a.png", TestImages.Png());
        var limits = _harness.Options;

        Assert.Contains("at least one image", Assert.Throws<BatchValidationException>(() => _harness.Create("q")).Message);
        Assert.Contains("prompt", Assert.Throws<BatchValidationException>(() => _harness.Create("   ", image)).Message);
        var tooLong = new string('x', limits.MaxPromptLength + 1);
        Assert.Contains($"{limits.MaxPromptLength:N0} characters", Assert.Throws<BatchValidationException>(() => _harness.Create(tooLong, image)).Message);
        var badSettings = new BatchRequest("q", new BatchGenerationSettings { MaxNewTokens = 0 });
        Assert.Contains("Max new tokens", Assert.Throws<BatchValidationException>(() => _harness.Create(badSettings, image)).Message);
        Assert.Contains("U+FFFE", Assert.Throws<BatchValidationException>(() => _harness.Create("a\uFFFE", image)).Message);
        var badSystem = new BatchRequest("q", new BatchGenerationSettings(), SystemPrompt: "\uD800");
        Assert.Contains("system prompt", Assert.Throws<BatchValidationException>(() => _harness.Create(badSystem, image)).Message);
        Assert.Empty(_harness.Store.List(_harness.Owner));
    }

    [Fact]
    public void Create_FailsAnOversizedFile_WithoutReadingPastTheLimit()
    {
        var huge = new byte[30 * 1024 * 1024]; // over Uploads:MaxBytes (20 MiB)
        var batch = _harness.Create("q", BatchInput.FromBytes("huge.png", huge));

        var item = Assert.Single(_harness.Items(batch));
        Assert.Equal(BatchItemStatus.Failed, item.Status);
        Assert.Contains("limit per image", item.Error);
    }

    [Fact]
    public async Task Cancel_ThenRetry_RunsTheCancelledItems()
    {
        var batch = _harness.Create("q", BatchInput.FromBytes("a.png", TestImages.Png()), BatchInput.FromBytes("b.png", TestImages.Png()));
        Assert.True(_harness.Service.Cancel(_harness.Owner, batch.Id));
        Assert.All(_harness.Items(batch), i => Assert.Equal(BatchItemStatus.Cancelled, i.Status));
        Assert.Equal(BatchState.Cancelled, _harness.Service.Progress(_harness.Owner, batch.Id)!.State);

        Assert.Equal(2, _harness.Service.RetryFailed(_harness.Owner, batch.Id));
        foreach (var item in _harness.Items(batch))
            await _harness.RunAsync(item.Id);

        Assert.All(_harness.Items(batch), i => Assert.Equal(BatchItemStatus.Done, i.Status));
        Assert.Equal(BatchState.Completed, _harness.Service.Progress(_harness.Owner, batch.Id)!.State);
    }

    [Fact]
    public void OwnerActions_DoNothing_ForAnotherUsersBatch()
    {
        var batch = _harness.Create("q", BatchInput.FromBytes("a.png", TestImages.Png()));
        var stranger = Guid.NewGuid();

        Assert.False(_harness.Service.Cancel(stranger, batch.Id));
        Assert.Null(_harness.Service.RetryFailed(stranger, batch.Id));
        Assert.False(_harness.Service.Delete(stranger, batch.Id));
        Assert.Null(_harness.Service.Progress(stranger, batch.Id));
        Assert.Equal(BatchItemStatus.Pending, Assert.Single(_harness.Items(batch)).Status);
    }

    [Fact]
    public void Delete_RemovesTheBatch_AndItsJobs()
    {
        var batch = _harness.Create("q", BatchInput.FromBytes("a.png", TestImages.Png()));
        var jobId = Assert.Single(_harness.Items(batch)).JobId!;

        Assert.True(_harness.Service.Delete(_harness.Owner, batch.Id));

        Assert.Null(_harness.Store.Find(_harness.Owner, batch.Id));
        using var connection = _harness.Storage.GetConnection();
        Assert.Equal("Deleted", connection.GetStateData(jobId).Name);
    }
}
