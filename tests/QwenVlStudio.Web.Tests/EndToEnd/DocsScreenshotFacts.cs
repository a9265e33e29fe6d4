using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>
/// The screenshots of docs/images, taken from the running app on the embedded tiny model: chat, batch, settings and
/// the phone layout. They land in the test output's screenshots/ folder; with QWENVL_UPDATE_DOCS_IMAGES=1 they
/// also replace docs/images/ (how the docs' pictures are refreshed).
/// </summary>
public sealed class DocsScreenshotFacts(RealModelBrowserHost host) : IClassFixture<RealModelBrowserHost>
{
    private static readonly bool UpdateDocs = Environment.GetEnvironmentVariable("QWENVL_UPDATE_DOCS_IMAGES") == "1";

    private static async Task ShootAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserHost.ScreenshotFolder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 10_000, $"{name} looks empty");
        if (UpdateDocs)
            File.Copy(path, Path.Combine(TestPaths.RepoRoot, "docs", "images", name), overwrite: true);
    }

    private static async Task AskAsync(IPage page, byte[] image, string question)
    {
        await page.GetByTestId("chat-attach").SetInputFilesAsync(new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = image });
        await page.GetByTestId("chat-attachment").WaitForAsync();
        await page.GetByTestId("chat-input").FillAsync(question);
        await page.GetByTestId("chat-send").ClickAsync();
        await page.GetByTestId("chat-regenerate").WaitForAsync(new() { Timeout = 90_000 });
    }

    [Fact]
    public async Task Screenshots_OfChatBatchSettingsAndPhone()
    {
        var page = await host.SignInAsync(StudioFactory.AdminUser, StudioFactory.AdminPassword);
        await AskAsync(page, TestImages.Png(240, 160), "Describe this image in one sentence.");
        await ShootAsync(page, "chat.png");

        await page.GotoAsync("/batch");
        await BrowserHost.WaitForCircuitAsync(page);
        var files = Enumerable.Range(1, 3)
            .Select(i => new FilePayload { Name = $"holiday-photo-{i}.png", MimeType = "image/png", Buffer = TestImages.Png(60 + i * 10, 40 + i * 8) })
            .ToArray();
        await page.GetByTestId("batch-files").SetInputFilesAsync(files);
        await Assertions.Expect(page.GetByTestId("batch-staged")).ToHaveAttributeAsync("data-count", "3");
        await page.GetByTestId("batch-prompt").FillAsync("What is in this picture?");
        await page.GetByTestId("batch-max-tokens").FillAsync("24");
        await page.GetByTestId("batch-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveAttributeAsync("data-state", "Completed", new() { Timeout = 120_000 });
        await ShootAsync(page, "batch.png");

        await page.GotoAsync("/settings");
        await BrowserHost.WaitForCircuitAsync(page);
        await ShootAsync(page, "settings.png");
        await page.Context.CloseAsync();

        var phone = await host.SignInAsync(StudioFactory.AdminUser, StudioFactory.AdminPassword, BrowserHost.Phone);
        await AskAsync(phone, TestImages.Png(200, 150), "What is in this picture?");
        await ShootAsync(phone, "phone.png");
        await phone.Context.CloseAsync();
    }
}
