using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.EndToEnd;

/// <summary>
/// The real app on Kestrel at a free loopback port (the fake engine inside) and Debian's headless chromium
/// driven by Playwright. Shared by the end-to-end facts of one class; each fact uses its own browser context.
/// </summary>
public class BrowserHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public StudioFactory Factory { get; } = new();

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Screenshots go under the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var port = FreeLoopbackPort();
        Configure(Factory);
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        Factory.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        await Factory.WaitForEngineAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>Debian's headless chromium, as every browser fact drives it.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"End-to-end tests need Debian's chromium at {ChromiumPath}: run `bash scripts/install-test-prerequisites.sh chromium` (as root) or `apt-get install -y chromium`.");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Sets up the host before it starts: by default the fake engine streams 40 words, one per 60 ms.</summary>
    protected virtual void Configure(StudioFactory factory)
    {
        factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(60);
        factory.Engines.Behavior.Tokens = 40;
    }

    /// <summary>A fresh browser context signed in as <paramref name="user"/>, on the chat page with the circuit up.</summary>
    public Task<IPage> SignInAsync(string user, string password) => SignInAsync(Browser, BaseUrl, user, password, Desktop);

    /// <summary>The desktop viewport of every fact, and the phone one of the layout facts (an iPhone 12-14).</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public Task<IPage> SignInAsync(string user, string password, ViewportSize viewport) =>
        SignInAsync(Browser, BaseUrl, user, password, viewport);

    public static async Task<IPage> SignInAsync(IBrowser browser, string baseUrl, string user, string password, ViewportSize viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = viewport });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByTestId("login-user").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>The layout marks itself after its first interactive render: only then do clicks reach the server.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("[data-circuit=connected]").WaitForAsync();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
