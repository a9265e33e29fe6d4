using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server for one test class: initdb into a fresh folder, listening on 127.0.0.1 only at a
/// free port, trust authentication, no fsync; stopped and deleted afterwards. Run as root, the server commands
/// run as the "postgres" user (PostgreSQL refuses to run as root). scripts/test.sh installs the package.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "qwenvl-pg-" + Guid.NewGuid().ToString("N"));
    private string _bin = "";
    private int _port;

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=true";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _port = FreePort();
        var data = Path.Combine(_folder, "data");
        await RunAsync($"mkdir -p '{_folder}' && '{_bin}/initdb' -D '{data}' -A trust -U postgres -E UTF8 --no-sync");
        await RunAsync($"'{_bin}/pg_ctl' -D '{data}' -l '{_folder}/server.log' -w -t 60 " +
                       $"-o \"-c listen_addresses=127.0.0.1 -p {_port} -k {_folder} -c fsync=off -c full_page_writes=off\" start");
    }

    public async Task DisposeAsync()
    {
        if (Directory.Exists(Path.Combine(_folder, "data")))
            await RunAsync($"'{_bin}/pg_ctl' -D '{_folder}/data' -m immediate -w stop");
        await RunAsync($"rm -rf '{_folder}'");
    }

    private static string FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `bash scripts/install-test-prerequisites.sh postgresql` as root.");
    }

    /// <summary>Runs a shell command, as the postgres user when the tests run as root.</summary>
    private static async Task RunAsync(string command)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "su" : "sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asRoot)
            start.ArgumentList.Add("postgres");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run: {command}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{command}` failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
