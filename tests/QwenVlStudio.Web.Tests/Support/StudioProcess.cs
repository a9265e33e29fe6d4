using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// The real app (QwenVlStudio.Web.dll from this test's output, real ONNX engine on the embedded tiny model) as a
/// child process on a data folder: started, asked over HTTP, and killed with SIGKILL like a crash.
/// </summary>
public sealed class StudioProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private StudioProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    /// <summary>The last lines the child printed (for failure messages).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static StudioProcess Start(string dataFolder, params string[] settings) =>
        Start(dataFolder, FreePort(), settings);

    /// <summary>On a given port: a restart on the same address, as a browser tab sees a server restart.</summary>
    public static StudioProcess Start(string dataFolder, int port, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "QwenVlStudio.Web.dll"));
        foreach (var argument in new[]
        {
            "--contentRoot", TestPaths.RepoRoot,
            "--urls", $"http://127.0.0.1:{port}",
            $"--Data:Path={Path.Combine(dataFolder, "studio.db")}",
            $"--Auth:AdminUser={StudioFactory.AdminUser}",
            $"--Auth:AdminPassword={StudioFactory.AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(settings))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        return new StudioProcess(process, $"http://127.0.0.1:{port}");
    }

    /// <summary>Waits until /readyz says the model is loaded.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            try
            {
                if ((await client.GetAsync("/readyz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The app was not ready within {timeout}:{Environment.NewLine}{Output}");
    }

    /// <summary>An HTTP client signed in through the login form (cookie kept).</summary>
    public async Task<HttpClient> SignInAsync(string user, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(BaseUrl),
        };
        var response = await SignedInClient.PostLoginAsync(client, user, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error") == true)
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    /// <summary>Waits for the app to exit by itself (it refused to start); its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the process dies.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 200)
            _output.TryDequeue(out _);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
