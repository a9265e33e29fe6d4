using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>
/// The test host (a Hangfire app on the LiteDB storage, tests/QwenVlStudio.Hangfire.LiteDb.TestHost) as a child
/// process: started with arguments, its output read line by line, stopped cleanly or killed with SIGKILL.
/// </summary>
public sealed class TestHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _transcript = new();

    private TestHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the child has printed so far (for failure messages).</summary>
    public string Transcript => string.Join(Environment.NewLine, _transcript);

    public static TestHostProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostAssemblyPath());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return new TestHostProcess(Process.Start(start) ?? throw new InvalidOperationException("The test host did not start."));
    }

    /// <summary>Waits for an output line starting with <paramref name="prefix"/> and returns the rest of it.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(cancel.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what the child printed.
        }

        throw new TimeoutException($"The test host printed no '{prefix}' line within {timeout}. Output:{Environment.NewLine}{Transcript}");
    }

    /// <summary>Ends the child at once with SIGKILL: no shutdown code of it runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>Asks the child to stop cleanly and waits for it; returns its exit code.</summary>
    public int Stop(TimeSpan timeout)
    {
        _process.StandardInput.WriteLine("stop");
        _process.StandardInput.Flush();
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new TimeoutException($"The test host did not stop within {timeout}. Output:{Environment.NewLine}{Transcript}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit(); // also drains the output, so no line arrives after this
        _lines.CompleteAdding();
        _process.Dispose();
        _lines.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null) return;
        _transcript.Enqueue(line);
        _lines.Add(line);
    }

    // The host is built next to this project (a ProjectReference without its assembly) with the same configuration.
    private static string HostAssemblyPath()
    {
        const string Host = "QwenVlStudio.Hangfire.LiteDb.TestHost";
        var configuration = typeof(TestHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var ownOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var repository = ownOutput;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "QwenVlStudio.slnx"))) repository = repository.Parent;
        if (repository is null) throw new InvalidOperationException($"No QwenVlStudio.slnx above {ownOutput.FullName}.");

        // Same layout as this assembly's output: bin/<configuration>/<framework>/<runtime>/.
        var relative = Path.GetRelativePath(
            Path.Combine(repository.FullName, "tests", "QwenVlStudio.Hangfire.LiteDb.Tests", "bin"), ownOutput.FullName);
        var path = Path.Combine(repository.FullName, "tests", Host, "bin", relative, Host + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The test host is not built for {configuration} at {path}.", path);
    }
}
