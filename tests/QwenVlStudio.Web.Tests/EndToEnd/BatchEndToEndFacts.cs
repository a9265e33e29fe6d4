using System.Text;
using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Batches;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>The fake engine answers each item in about half a second, so the page shows the batch moving.</summary>
[Trait(TestCategories.Name, TestCategories.Browser)]
public sealed class BatchBrowserHost : BrowserHost
{
    protected override void Configure(StudioFactory factory)
    {
        factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(25);
        factory.Engines.Behavior.Tokens = 20;
        factory.Settings["Batch:Workers"] = "1";
    }
}

/// <summary>A batch in a real browser: choose images, start, watch the progress reach 100 %, download the CSV.</summary>
public sealed class BatchEndToEndFacts(BatchBrowserHost host) : IClassFixture<BatchBrowserHost>
{
    [Fact]
    public async Task Batch_OfFiveImages_ReachesFullProgress_AndItsCsvHasARowPerImage()
    {
        var user = host.Factory.CreateUser("e2e-batch-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await host.SignInAsync(user.UserName, "user-password-1");
        await page.GotoAsync("/batch");
        await BrowserHost.WaitForCircuitAsync(page);

        var files = Enumerable.Range(1, 5)
            .Select(i => new FilePayload { Name = $"photo-{i}.png", MimeType = "image/png", Buffer = TestImages.Png(40 + i * 8, 30 + i * 6) })
            .ToArray();
        await page.GetByTestId("batch-files").SetInputFilesAsync(files);
        await Assertions.Expect(page.GetByTestId("batch-staged")).ToHaveAttributeAsync("data-count", "5");
        await page.GetByTestId("batch-prompt").FillAsync("What is in this picture?");
        await page.GetByTestId("batch-submit").ClickAsync();
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/batch/[0-9a-f-]{36}$"));

        // Pushed as items finish: sample the percentage until it reaches 100.
        var progress = page.GetByTestId("batch-progress");
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var percent = await progress.GetAttributeAsync("data-percent") ?? "";
            if (seen.Count == 0 || seen[^1] != percent)
                seen.Add(percent);
            if (percent == "100")
                break;
            await Task.Delay(50);
        }

        Assert.Equal("100", seen[^1]);
        Assert.True(seen.Count >= 3, $"the page showed only [{string.Join(", ", seen)}] on its way to 100 %");
        Assert.Equal("5", await progress.GetAttributeAsync("data-done"));
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveAttributeAsync("data-state", "Completed");
        Assert.Equal(5, await page.Locator("[data-testid=batch-item][data-status=Done]").CountAsync());
        await page.Locator("[data-testid=batch-item-thumbnail]").First.WaitForAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("batch-download-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, Encoding.UTF8);
        var rows = CsvWriterFacts.ParseCsv(csv.TrimStart('\uFEFF'));
        Assert.EndsWith(".csv", download.SuggestedFilename);
        Assert.Equal(6, rows.Count);
        Assert.Equal(files.Select(f => f.Name), rows.Skip(1).Select(r => r[1]));
        Assert.All(rows.Skip(1), r => Assert.Equal("done", r[2]));
        Assert.All(rows.Skip(1), r => Assert.Equal("What is in this picture?", r[3]));
        Assert.All(rows.Skip(1), r => Assert.StartsWith("Fake answer:", r[4]));

        var jsonl = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("batch-download-jsonl").ClickAsync());
        Assert.Equal(5, (await File.ReadAllLinesAsync((await jsonl.PathAsync())!)).Length);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "batch.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancel_StopsARunningBatch_AndRetryFinishesIt()
    {
        var user = host.Factory.CreateUser("e2e-cancel-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await host.SignInAsync(user.UserName, "user-password-1");
        await page.GotoAsync("/batch");
        await BrowserHost.WaitForCircuitAsync(page);
        var zip = TestZips.Create(Enumerable.Range(1, 8).Select(i => ($"zipped/{i}.png", TestImages.Png(30 + i, 30))).Append(("readme.txt", BadImages.NotAnImage())).ToArray());

        await page.GetByTestId("batch-files").SetInputFilesAsync(new FilePayload { Name = "photos.zip", MimeType = "application/zip", Buffer = zip });
        await Assertions.Expect(page.GetByTestId("batch-staged")).ToHaveAttributeAsync("data-count", "9");
        await page.GetByTestId("batch-prompt").FillAsync("Count the circles.");
        await page.GetByTestId("batch-submit").ClickAsync();
        await page.GetByTestId("batch-progress").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=batch-item][data-status=Done]")).Not.ToHaveCountAsync(0, new() { Timeout = 30_000 });

        await page.GetByTestId("batch-cancel").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveAttributeAsync("data-state", "Cancelled", new() { Timeout = 30_000 });
        Assert.True(await page.Locator("[data-testid=batch-item][data-status=Cancelled]").CountAsync() > 0);

        await page.GetByTestId("batch-retry").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveAttributeAsync("data-state", "Completed", new() { Timeout = 60_000 });
        Assert.Equal(8, await page.Locator("[data-testid=batch-item][data-status=Done]").CountAsync());
        var failed = page.Locator("[data-testid=batch-item][data-status=Failed]");
        Assert.Equal(1, await failed.CountAsync()); // readme.txt: not an image, and not retryable
        Assert.Contains("not an image", await failed.GetByTestId("batch-item-error").InnerTextAsync());
        await page.Context.CloseAsync();
    }
}
