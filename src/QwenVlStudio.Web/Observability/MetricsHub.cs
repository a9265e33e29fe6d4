using Microsoft.AspNetCore.SignalR;

namespace QwenVlStudio.Web.Observability;

/// <summary>
/// /hubs/metrics: every connected client receives "history" (the last 5 minutes) on connect, then one "sample"
/// per second, pushed by <see cref="ResourceSampler"/>.
/// </summary>
public sealed class MetricsHub(MetricsHistory history) : Hub
{
    public const string Path = "/hubs/metrics";

    public override async Task OnConnectedAsync()
    {
        await Clients.Caller.SendAsync("history", history.Snapshot(), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
