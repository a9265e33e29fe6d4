using Microsoft.Playwright;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>Smoke test of the whole product: browser → host → scheduler → the real ONNX engine and back.</summary>
[Trait(TestCategories.Name, TestCategories.Browser)]
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class RealModelEndToEndFacts : IClassFixture<RealModelBrowserHost>
{
    private readonly RealModelBrowserHost _host;

    public RealModelEndToEndFacts(RealModelBrowserHost host) => _host = host;

    [Fact]
    public async Task Chat_AnswersAboutAnImage_WithTheEmbeddedTinyModel()
    {
        Assert.Equal(EngineState.Ready, _host.Factory.Engine.Status.State);
        Assert.Equal("qwen3-vl-tiny", _host.Factory.Engine.Status.ModelName);
        var user = _host.Factory.CreateUser("e2e-real-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1");

        await page.GetByTestId("chat-attach").SetInputFilesAsync(new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = TestImages.Png(200, 150) });
        await page.GetByTestId("chat-attachment").WaitForAsync();
        await page.GetByTestId("chat-input").FillAsync("Describe this image.");
        await page.GetByTestId("chat-send").ClickAsync();

        var answer = page.GetByTestId("chat-message-assistant").Last;
        await page.GetByTestId("chat-regenerate").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal("Completed", await answer.GetAttributeAsync("data-phase"));
        var stats = await answer.GetByTestId("chat-message-stats").InnerTextAsync();
        Assert.Matches(@"vision \d+ ms", stats);
        Assert.Matches(@"\d+ prompt \+ \d+ generated tokens", stats);
        Assert.NotEmpty((await answer.GetByTestId("chat-message-text").InnerTextAsync()).Trim());
        Assert.Empty(await page.GetByTestId("chat-message-error").AllAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "chat-real-tiny-model.png") });
        await page.Context.CloseAsync();
    }
}
