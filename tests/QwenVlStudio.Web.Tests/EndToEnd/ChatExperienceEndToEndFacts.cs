using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>Issue 14 in chromium: the chat follows its answer, takes long prompts, and refuses longer ones clearly.</summary>
public sealed class ChatExperienceEndToEndFacts : IClassFixture<ChatExperienceHost>
{
    private const int Slack = 48; // chat.js counts this close to the end as "at the end"

    // Streaming 1,500 words re-renders a growing answer per token: slow on a loaded machine, so wait generously.
    private static readonly LocatorAssertionsToContainTextOptions Patient = new() { Timeout = 60_000 };

    private readonly ChatExperienceHost _host;

    public ChatExperienceEndToEndFacts(ChatExperienceHost host) => _host = host;

    private static ILocator LastAnswer(IPage page) =>
        page.GetByTestId("chat-message-assistant").Last.GetByTestId("chat-message-text");

    private static Task<double> DistanceFromEndAsync(IPage page) =>
        page.GetByTestId("chat-messages").EvaluateAsync<double>("el => el.scrollHeight - el.scrollTop - el.clientHeight");

    private static Task<double> ScrollTopAsync(IPage page) =>
        page.GetByTestId("chat-messages").EvaluateAsync<double>("el => el.scrollTop");

    private static async Task AskAsync(IPage page, string question)
    {
        await page.GetByTestId("chat-input").FillAsync(question);
        await page.GetByTestId("chat-send").ClickAsync();
    }

    private async Task<IPage> NewUserPageAsync(string prefix)
    {
        var user = _host.Factory.CreateUser(prefix + Guid.NewGuid().ToString("N")[..6]);
        return await _host.SignInAsync(user.UserName, "user-password-1");
    }

    [Fact]
    public async Task Answer_StaysInView_UnlessTheReaderScrollsUp_AndAConversationOpensAtItsEnd()
    {
        // A short window, so that the answer (512 words at the default token limit) is much taller than the list.
        var user = _host.Factory.CreateUser("e2e-scroll-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1", new ViewportSize { Width = 1280, Height = 600 });
        await AskAsync(page, "Please write a long essay");

        await Assertions.Expect(LastAnswer(page)).ToContainTextAsync("word400 ", Patient);
        Assert.True(await page.GetByTestId("chat-messages").EvaluateAsync<bool>("el => el.scrollHeight > el.clientHeight + 200"),
            "the answer should be taller than the list for this fact to mean anything");
        Assert.InRange(await DistanceFromEndAsync(page), 0, Slack);

        // The reader scrolls up with the wheel: the view stays where they put it and the jump button appears.
        await page.GetByTestId("chat-messages").HoverAsync();
        await page.Mouse.WheelAsync(0, -5000);
        await Assertions.Expect(page.GetByTestId("chat-jump-latest")).ToBeVisibleAsync();
        var parkedAt = await ScrollTopAsync(page);
        await page.GetByTestId("chat-message-stats").WaitForAsync(new() { Timeout = 60_000 });
        Assert.InRange(await ScrollTopAsync(page), parkedAt - 1, parkedAt + 1);
        Assert.True(await DistanceFromEndAsync(page) > Slack);

        await page.GetByTestId("chat-jump-latest").ClickAsync();
        await Assertions.Expect(page.GetByTestId("chat-jump-latest")).ToBeHiddenAsync();
        Assert.InRange(await DistanceFromEndAsync(page), 0, Slack);

        // Opened again (a fresh page on the conversation's address), it shows its end.
        await page.ReloadAsync();
        await BrowserHost.WaitForCircuitAsync(page);
        await page.GetByTestId("chat-message-stats").WaitForAsync();
        await page.WaitForFunctionAsync(
            "slack => { const el = document.querySelector('[data-testid=chat-messages]'); return el.scrollHeight > el.clientHeight && el.scrollHeight - el.scrollTop - el.clientHeight <= slack; }",
            Slack);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LongPrompt_IsSent_AndOneOverTheContextIsRefusedBeforeSending_WithTheCircuitAlive()
    {
        var page = await NewUserPageAsync("e2e-long-");

        // 60,000 characters: far over the 32 KB SignalR default that used to close the circuit at ~17,000.
        var longText = string.Concat(Enumerable.Repeat("lorem ipsum ", 5_000));
        await AskAsync(page, longText);
        await page.GetByTestId("chat-message-stats").WaitForAsync();
        Assert.Equal(longText.TrimEnd(), (await page.GetByTestId("chat-message-user").Last.InnerTextAsync()).TrimEnd());

        // Over the context (131,072 characters here): a clear message, Send disabled, nothing sent.
        await page.GetByTestId("chat-input").FillAsync(new string('x', 140_000));
        await Assertions.Expect(page.GetByTestId("chat-too-long")).ToContainTextAsync("the model's context holds about 131,072");
        await Assertions.Expect(page.GetByTestId("chat-send")).ToBeDisabledAsync();
        Assert.Equal(1, await page.GetByTestId("chat-message-user").CountAsync());

        // The circuit is alive: a short question goes through.
        await AskAsync(page, "and a short one");
        await Assertions.Expect(page.GetByTestId("chat-message-user")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("chat-message-stats")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BatchForm_ShowsItsLimit_ForA20000CharacterPrompt_WithTheCircuitAlive()
    {
        var page = await NewUserPageAsync("e2e-batchlong-");
        await page.GotoAsync("/batch");
        await BrowserHost.WaitForCircuitAsync(page);

        await page.GetByTestId("batch-prompt").FillAsync(new string('p', 20_000));
        await Assertions.Expect(page.GetByText("The prompt can have at most 8,000 characters.")).ToBeVisibleAsync();

        // Still interactive: shortening the prompt clears the message.
        await page.GetByTestId("batch-prompt").FillAsync("Describe it.");
        await Assertions.Expect(page.GetByText("The prompt can have at most 8,000 characters.")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_GetsADrawerAndAMenu_AWideTextBox_AndNothingWiderThanTheScreen()
    {
        var user = _host.Factory.CreateUser("e2e-phone-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await _host.SignInAsync(user.UserName, "user-password-1", BrowserHost.Phone);
        var width = BrowserHost.Phone.Width;

        // The conversation list is a closed drawer; the text box has the width; Sign out is on the screen.
        var sidebar = (await page.GetByTestId("chat-sidebar").BoundingBoxAsync())!;
        Assert.True(sidebar.X + sidebar.Width <= 0, $"the closed drawer should be off-screen, it is at x={sidebar.X}");
        var input = (await page.GetByTestId("chat-input").BoundingBoxAsync())!;
        Assert.True(input.Width >= 200, $"the text box is {input.Width} px wide"); // it was 13 px
        var logout = (await page.GetByTestId("logout").BoundingBoxAsync())!;
        Assert.InRange(logout.X + logout.Width, 0, width);
        await Assertions.Expect(page.GetByTestId("nav-batch")).ToBeHiddenAsync();

        // A long unbroken word wraps inside its bubble.
        await AskAsync(page, "Look: " + new string('W', 300));
        await page.GetByTestId("chat-message-stats").WaitForAsync();
        Assert.True(await page.GetByTestId("chat-message-user").EvaluateAsync<bool>("el => el.scrollWidth <= el.clientWidth"),
            "the long word overflows its bubble");
        var tooWide = await page.EvaluateAsync<string>(
            "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1 && e.closest('[data-testid=chat-sidebar]') === null)" +
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')", width);
        Assert.True(tooWide == "", "wider than the screen: " + tooWide);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "phone.png") });

        // The drawer opens from the toolbar and closes when a conversation is picked.
        await page.GetByTestId("chat-drawer-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conversation-item")).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=chat-sidebar]').getBoundingClientRect().left >= 0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "phone-drawer.png") });
        await page.GetByTestId("conversation-new").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=chat-sidebar]').getBoundingClientRect().right <= 0");

        // The app bar's pages are in its menu.
        await page.GetByTestId("nav-menu").ClickAsync();
        await page.GetByTestId("menu-nav-batch").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/batch"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Desktop_KeepsTheListAndButtons_AndHeadingsHaveNoFocusFrame()
    {
        var page = await NewUserPageAsync("e2e-desk-");
        await Assertions.Expect(page.GetByTestId("chat-sidebar")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByTestId("chat-drawer-toggle")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("nav-batch")).ToBeVisibleAsync();

        await page.GetByTestId("nav-batch").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/batch"));
        var heading = page.Locator("h1").First;
        await heading.FocusAsync();
        Assert.Equal("none", await heading.EvaluateAsync<string>("el => getComputedStyle(el).outlineStyle"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Escape_StopsTheAnswer_AndCtrlShiftO_StartsANewChat()
    {
        var page = await NewUserPageAsync("e2e-keys-");
        await AskAsync(page, "Please write a long essay");
        await Assertions.Expect(LastAnswer(page)).ToContainTextAsync("word5 ", Patient);

        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("chat-message-stopped").WaitForAsync();
        await page.GetByTestId("chat-send").WaitForAsync();
        Assert.Contains("/chat/", page.Url);

        await page.Keyboard.PressAsync("Control+Shift+O");
        await page.WaitForURLAsync(url => !url.Contains("/chat/"));
        await Assertions.Expect(page.GetByTestId("chat-message-user")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
