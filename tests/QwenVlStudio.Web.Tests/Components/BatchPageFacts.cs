using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Components.Batch;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class BatchPageFacts : IAsyncLifetime
{
    private readonly StudioBunitContext _ctx = new();
    private readonly BatchHarness _batches = new();

    public async Task InitializeAsync()
    {
        await _batches.Engine.LoadAsync();
        _ctx.Services.AddSingleton(_batches.Store);
        _ctx.Services.AddSingleton(_batches.Service);
        _ctx.Services.AddSingleton(_batches.Events);
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(Options.Create(_batches.Options));
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _batches.DisposeAsync();
    }

    [Fact]
    public async Task Page_ShowsProgress_AndUpdatesAsItemsFinish_WithoutReload()
    {
        var batch = _batches.Service.Create(_ctx.UserId, BatchInputs.Request(), [.. BatchInputs.Images(2), BatchInput.FromBytes("x.txt", BadImages.NotAnImage())]);
        var cut = _ctx.Render<BatchPage>(p => p.Add(x => x.Id, batch.Id));

        var progress = cut.Find("[data-testid=batch-progress]");
        Assert.Equal("33", progress.GetAttribute("data-percent"));
        Assert.Equal("1", progress.GetAttribute("data-failed"));
        Assert.Equal("Queued", cut.Find("[data-testid=batch-status]").GetAttribute("data-state"));
        Assert.False(cut.Find("[data-testid=batch-cancel]").HasAttribute("disabled"));

        foreach (var item in _batches.Store.Items(_ctx.UserId, batch.Id).Where(i => i.Status == BatchItemStatus.Pending))
            await _batches.RunAsync(item.Id);

        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-testid=batch-progress]").GetAttribute("data-percent")), TimeSpan.FromSeconds(5));
        Assert.Equal("Completed", cut.Find("[data-testid=batch-status]").GetAttribute("data-state"));
        Assert.True(cut.Find("[data-testid=batch-cancel]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=batch-retry]").HasAttribute("disabled")); // the failed item has no image to retry
        Assert.Equal(2, cut.FindAll("[data-testid=batch-item][data-status=Done]").Count);
        Assert.Contains("not an image", cut.Find("[data-testid=batch-item][data-status=Failed] [data-testid=batch-item-error]").TextContent);
        Assert.EndsWith($"batch/{batch.Id}/results.csv", cut.Find("[data-testid=batch-download-csv]").GetAttribute("href"));
        Assert.EndsWith($"batch/{batch.Id}/results.jsonl", cut.Find("[data-testid=batch-download-jsonl]").GetAttribute("href"));
    }

    [Fact]
    public void Page_IsNotFound_ForAnotherUsersBatch()
    {
        var batch = _batches.Service.Create(Guid.NewGuid(), BatchInputs.Request("secret prompt"), BatchInputs.Images(1));

        var cut = _ctx.Render<BatchPage>(p => p.Add(x => x.Id, batch.Id));

        Assert.Empty(cut.FindAll("[data-testid=batch-page]"));
        Assert.DoesNotContain("secret prompt", cut.Markup);
    }

    [Fact]
    public void CreateForm_StagesTheChosenFiles_AndCreatesTheBatchOnSubmit()
    {
        var cut = _ctx.Render<BatchCreateForm>(p => p.Add(x => x.OwnerId, _ctx.UserId));
        var zip = TestZips.Create(("a/one.png", TestImages.Png()), ("two.jpg", TestImages.Jpeg()), ("nested.zip", [1, 2]));

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(TestImages.Png(), "single.png", contentType: "image/png"),
            InputFileContent.CreateFromBinary(zip, "photos.zip", contentType: "application/zip"));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=batch-staged]").GetAttribute("data-count")));
        Assert.Contains("nested.zip", cut.Find("[data-testid=batch-notes]").TextContent);
        Assert.True(cut.Find("[data-testid=batch-submit]").HasAttribute("disabled")); // no prompt yet
        cut.Find("[data-testid=batch-prompt]").Input("Name the colours.");
        cut.Find("[data-testid=batch-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("/batch/", _ctx.Services.GetRequiredService<NavigationManager>().Uri));
        var batch = Assert.Single(_batches.Store.List(_ctx.UserId));
        Assert.Equal("Name the colours.", batch.Prompt);
        Assert.Equal(["single.png", "one.png", "two.jpg"], _batches.Store.Items(_ctx.UserId, batch.Id).Select(i => i.FileName));
    }
}
