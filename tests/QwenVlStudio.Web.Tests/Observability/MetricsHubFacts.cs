using Microsoft.AspNetCore.SignalR.Client;
using QwenVlStudio.Web.Observability;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Observability;

/// <summary>Any SignalR client can subscribe to /hubs/metrics: history on connect, then a sample every second.</summary>
public sealed class MetricsHubFacts : IAsyncLifetime
{
    private readonly StudioFactory _factory = new();

    public async Task InitializeAsync() => await _factory.WaitForEngineAsync();

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Hub_SendsHistoryThenLiveSamples_ToASubscriber()
    {
        var server = _factory.Server;
        var history = new TaskCompletionSource<List<MetricsSample>>();
        var samples = new List<MetricsSample>();
        var twoSamples = new TaskCompletionSource();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, MetricsHub.Path), o => o.HttpMessageHandlerFactory = _ => server.CreateHandler())
            .Build();
        connection.On<List<MetricsSample>>("history", h => history.TrySetResult(h));
        connection.On<MetricsSample>("sample", s =>
        {
            lock (samples)
            {
                samples.Add(s);
                if (samples.Count == 2) twoSamples.TrySetResult();
            }
        });

        await connection.StartAsync();

        await history.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await twoSamples.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (samples)
        {
            Assert.True(samples[1].TimeUtc > samples[0].TimeUtc);
            Assert.All(samples, s => Assert.True(s.WorkingSetMb > 0));
        }
    }
}
