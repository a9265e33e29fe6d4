using System.Diagnostics;
using Microsoft.Playwright;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>A person's path through the product in a real browser: sign in, upload, ask, watch, stop, tune.</summary>
[Trait(TestCategories.Name, TestCategories.Browser)]
public sealed class ChatEndToEndFacts : IClassFixture<BrowserHost>
{
    private readonly BrowserHost _host;

    public ChatEndToEndFacts(BrowserHost host) => _host = host;

    private static ILocator LastAnswer(IPage page) =>
        page.GetByTestId("chat-message-assistant").Last.GetByTestId("chat-message-text");

    private static async Task AskAsync(IPage page, string question, byte[]? image = null)
    {
        if (image is not null)
        {
            await page.GetByTestId("chat-attach").SetInputFilesAsync(new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = image });
            await page.GetByTestId("chat-attachment").WaitForAsync();
        }

        await page.GetByTestId("chat-input").FillAsync(question);
        await page.GetByTestId("chat-send").ClickAsync();
    }

    [Fact]
    public async Task Chat_StreamsTokensOneAfterAnother_WithAnUploadedImage()
    {
        var user = _host.Factory.CreateUser("alice");
        var page = await _host.SignInAsync(user.UserName, "user-password-1");

        await AskAsync(page, "What is in this picture?", TestImages.Png(320, 200));

        // Sample the answer while it streams: its text must grow through at least 5 distinct lengths.
        var lengths = new List<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            var text = await LastAnswer(page).InnerTextAsync();
            if (lengths.Count == 0 || text.Length != lengths[^1])
                lengths.Add(text.Length);
            if (text.Contains("word40"))
                break;
            await Task.Delay(25);
        }

        var growing = lengths.Where(l => l > 0).ToList();
        Assert.True(growing.Count >= 5, $"the answer grew only through lengths [{string.Join(", ", lengths)}]");
        Assert.Equal(growing.OrderBy(l => l), growing);
        await page.GetByTestId("chat-message-stats").WaitForAsync();
        await page.GetByTestId("chat-message-image").WaitForAsync();
        Assert.Equal(1, await page.GetByTestId("chat-message-user").CountAsync());

        var screenshot = Path.Combine(BrowserHost.ScreenshotFolder, "chat.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Stop_EndsALongAnswer_WhileItStreams()
    {
        var user = _host.Factory.CreateUser("e2e-stop-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1");

        await AskAsync(page, "Please write a long essay");
        await Assertions.Expect(LastAnswer(page)).ToContainTextAsync("word3");
        await page.GetByTestId("chat-stop").ClickAsync();

        await page.GetByTestId("chat-message-stopped").WaitForAsync();
        await page.GetByTestId("chat-send").WaitForAsync();
        var stoppedAt = await LastAnswer(page).InnerTextAsync();
        await Task.Delay(400);
        Assert.Equal(stoppedAt, await LastAnswer(page).InnerTextAsync());
        Assert.DoesNotContain("word400", stoppedAt);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "chat-stopped.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Settings_ChangeDecoderThreads_ThenChatAgain()
    {
        var page = await _host.SignInAsync(StudioFactory.AdminUser, StudioFactory.AdminPassword);
        var decoderThreads = Random.Shared.Next(2, 9);

        await page.GotoAsync("/settings");
        await BrowserHost.WaitForCircuitAsync(page);
        await page.GetByTestId("settings-threads-decoder").FillAsync(decoderThreads.ToString());
        await page.GetByTestId("settings-threads-decoder").PressAsync("Tab");
        await page.GetByTestId("settings-save").ClickAsync();
        await page.GetByTestId("settings-saved").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "settings.png") });

        Assert.Contains(_host.Factory.Engines.Created, e => e.Settings.DecoderThreads == decoderThreads);
        Assert.Equal(decoderThreads, _host.Factory.Get<EngineGovernor>().Current.DecoderThreads);

        await page.GotoAsync("/");
        await BrowserHost.WaitForCircuitAsync(page);
        await AskAsync(page, "Still there after the reload?");
        await Assertions.Expect(LastAnswer(page)).ToContainTextAsync("word40", new() { Timeout = 30_000 });
        Assert.Equal(decoderThreads, _host.Factory.Engines.Latest!.Settings.DecoderThreads);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Drop_AttachesAnImage_WhenDroppedOnTheComposer()
    {
        var user = _host.Factory.CreateUser("e2e-drop-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1");
        var png = Convert.ToBase64String(TestImages.Png(40, 30));

        // What a browser does on a real drop: a DataTransfer holding the file, delivered by a 'drop' event.
        await page.EvaluateAsync(@"(b64) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
            const zone = document.querySelector('[data-testid=chat-composer]');
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }", png);

        await page.GetByTestId("chat-attachment").WaitForAsync();
        Assert.Equal(1, await page.GetByTestId("chat-attachment").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignOut_ReturnsToLogin_AndLocksThePagesAgain()
    {
        var user = _host.Factory.CreateUser("e2e-out-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1");
        Assert.Equal(user.UserName, await page.GetByTestId("current-user").InnerTextAsync());

        await page.GetByTestId("logout").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login"));

        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url);
        await page.Context.CloseAsync();
    }
}
