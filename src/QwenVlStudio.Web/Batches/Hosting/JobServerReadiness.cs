using Hangfire;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Hosting;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>
/// /readyz's view of the batch job server: its storage answers a query, and (when this host runs a server) a server
/// has sent a heartbeat lately. A damaged job file that fails every poll is then "not ready", not a silent 200.
/// </summary>
public sealed class JobServerReadiness(JobStorage storage, IOptions<BatchOptions> options, TimeProvider clock) : IReadinessCheck
{
    /// <summary>Hangfire's servers beat every 30 s; two missed beats mean it is not working.</summary>
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(75);

    private readonly DateTime _started = clock.GetUtcNow().UtcDateTime;

    public string Name => "jobs";

    public string? Problem()
    {
        IList<global::Hangfire.Storage.Monitoring.ServerDto> servers;
        try
        {
            servers = storage.GetMonitoringApi().Servers();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the job storage fails: {e.GetType().Name}: {e.Message}";
        }
        if (!options.Value.RunServer)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - _started < HeartbeatTimeout)
            return null; // still starting
        bool alive = servers.Any(s => s.Heartbeat is { } beat && now - beat < HeartbeatTimeout);
        return alive ? null : "no batch job server has sent a heartbeat in the last 75 s";
    }
}
