using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>Issue 14: an open tab says when the server is gone, and comes back by itself when it restarts.</summary>
public sealed class ReconnectEndToEndFacts
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ServerRestart_ShowsTheBanner_ThenReloadsThePageByItself()
    {
        var folder = TestPaths.NewTempFolder();
        var port = StudioProcess.FreePort();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserHost.LaunchChromiumAsync(playwright);

        IPage page;
        using (var first = StudioProcess.Start(folder, port))
        {
            await first.WaitUntilReadyAsync(StartTimeout);
            page = await BrowserHost.SignInAsync(browser, first.BaseUrl, StudioFactory.AdminUser, StudioFactory.AdminPassword, BrowserHost.Desktop);
            await Assertions.Expect(page.GetByTestId("reconnect-banner")).ToBeHiddenAsync();
            await page.EvaluateAsync("() => { window.beforeRestart = true; }");
            first.Kill();
        }

        await Assertions.Expect(page.GetByTestId("reconnect-banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("reconnect-banner")).ToContainTextAsync("reconnect");

        using var second = StudioProcess.Start(folder, port);
        await second.WaitUntilReadyAsync(StartTimeout);
        // The new server does not know the old circuit: the page reloads itself (the marker is gone) and works again.
        await page.WaitForFunctionAsync("() => window.beforeRestart === undefined", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        await BrowserHost.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("reconnect-banner")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("chat-input")).ToBeEnabledAsync();
        second.Kill();
    }
}
