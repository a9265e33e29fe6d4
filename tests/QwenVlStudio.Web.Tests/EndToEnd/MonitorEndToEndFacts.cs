using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>The monitor page in a real browser: its charts gain points, pushed, while an answer streams elsewhere.</summary>
[Trait(TestCategories.Name, TestCategories.Browser)]
public sealed class MonitorEndToEndFacts(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Monitor_ChartsGetNewPoints_WhileAChatAnswerStreams()
    {
        var user = host.Factory.CreateUser("monitor-" + Guid.NewGuid().ToString("N")[..6]);
        host.Factory.Engines.Behavior.LongTokens = 60;
        host.Factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(50);
        var chat = await host.SignInAsync(user.UserName, "user-password-1");
        // A second browser context (its own window): a background tab of the chat's window would be throttled.
        var monitor = await host.SignInAsync(user.UserName, "user-password-1");
        await monitor.GotoAsync(host.BaseUrl + "/monitor");
        await BrowserHost.WaitForCircuitAsync(monitor);
        var cpuChart = monitor.GetByTestId("metrics-chart-cpu");
        await cpuChart.WaitForAsync();
        int before = int.Parse(await cpuChart.GetAttributeAsync("data-points") ?? "0");

        await chat.GetByTestId("chat-input").FillAsync("tell me a long story");
        await chat.GetByTestId("chat-send").ClickAsync();
        await chat.GetByTestId("chat-message-assistant").Last.GetByTestId("chat-message-text").WaitForAsync(new() { Timeout = 60_000 });

        // The page is not reloaded: new points arrive by push, one per second.
        await Assertions.Expect(cpuChart).Not.ToHaveAttributeAsync("data-points", before.ToString(), new() { Timeout = 10_000 });
        int after = int.Parse(await cpuChart.GetAttributeAsync("data-points") ?? "0");
        Assert.True(after > before, $"points went from {before} to {after}");
        foreach (var id in new[] { "metrics-chart-ram", "metrics-chart-tokens", "metrics-tile-queue" })
            Assert.True(await monitor.GetByTestId(id).IsVisibleAsync(), id);
        Assert.Equal(1, await monitor.Locator("[data-testid=metrics-chart-cpu] svg").CountAsync());

        await monitor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, "monitor.png"), FullPage = true });
        await chat.Context.CloseAsync();
        await monitor.Context.CloseAsync();
    }
}
