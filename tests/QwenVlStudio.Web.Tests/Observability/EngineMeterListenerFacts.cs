using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Tests.Observability;

/// <summary>The monitor reads the engine meter's own measurements: token counts and a 60-second percentile window.</summary>
public sealed class EngineMeterListenerFacts
{
    [Fact]
    public void Percentiles_CoverOnlyTheWindow_AndTokensAreTakenOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var meter = new Meter(EngineMetrics.MeterName);
        var ttft = meter.CreateHistogram<double>("qwenvl.ttft");
        var latency = meter.CreateHistogram<double>("qwenvl.request.duration");
        var tokens = meter.CreateCounter<long>("qwenvl.tokens.output");
        using var listener = new EngineMeterListener(clock, TimeSpan.FromSeconds(60));

        ttft.Record(10.0); // seconds: 10 000 ms, soon outside the window
        clock.Advance(TimeSpan.FromSeconds(61));
        foreach (var s in new[] { 0.1, 0.2, 0.3, 0.4 }) ttft.Record(s);
        latency.Record(2.0);
        tokens.Add(5);
        tokens.Add(7);

        var (p50, p95, l50, l95) = listener.Percentiles();
        Assert.Equal(250, p50, 6);
        Assert.Equal(385, p95, 6);
        Assert.Equal(2000, l50, 6);
        Assert.Equal(2000, l95, 6);
        Assert.Equal(12, listener.TakeTokens());
        Assert.Equal(0, listener.TakeTokens());
    }

    [Fact]
    public void Listener_IgnoresOtherMeters()
    {
        using var other = new Meter("Somebody.Else");
        var tokens = other.CreateCounter<long>("qwenvl.tokens.output");
        using var listener = new EngineMeterListener(TimeProvider.System);

        tokens.Add(100);

        Assert.Equal(0, listener.TakeTokens());
    }
}
