using System.Diagnostics.Metrics;

namespace QwenVlStudio.Web.Observability;

/// <summary>
/// Listens to the engine's own meter in-process: generated tokens (for tokens/s) and the TTFT and request
/// latency of each request in a sliding window (for p50/p95), so the monitor reads what /metrics exports.
/// </summary>
public sealed class EngineMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly Queue<(DateTimeOffset At, double Ms)> _ttft = new();
    private readonly Queue<(DateTimeOffset At, double Ms)> _latency = new();
    private readonly object _gate = new();
    private long _tokens;
    private long _batchItems;

    public EngineMeterListener(TimeProvider clock, TimeSpan? window = null)
    {
        _clock = clock;
        _window = window ?? TimeSpan.FromSeconds(60);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName
                && instrument.Name is "qwenvl.tokens.output" or "qwenvl.ttft" or "qwenvl.request.duration" or BatchItemsInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == BatchItemsInstrument)
                Interlocked.Add(ref _batchItems, value);
            else
                Interlocked.Add(ref _tokens, value);
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            var queue = instrument.Name == "qwenvl.ttft" ? _ttft : _latency;
            lock (_gate)
                queue.Enqueue((_clock.GetUtcNow(), value * 1000));
        });
        _listener.Start();
    }

    private const string BatchItemsInstrument = "qwenvl.batch.items";

    /// <summary>Batch items finished (any outcome) since the last call.</summary>
    public long TakeBatchItems() => Interlocked.Exchange(ref _batchItems, 0);

    /// <summary>Tokens generated since the last call.</summary>
    public long TakeTokens() => Interlocked.Exchange(ref _tokens, 0);

    /// <summary>(p50, p95) of TTFT and of request latency over the window, in milliseconds.</summary>
    public (double TtftP50, double TtftP95, double LatencyP50, double LatencyP95) Percentiles()
    {
        var since = _clock.GetUtcNow() - _window;
        lock (_gate)
        {
            Trim(_ttft, since);
            Trim(_latency, since);
            var ttft = _ttft.Select(x => x.Ms).ToList();
            var latency = _latency.Select(x => x.Ms).ToList();
            return (Observability.Percentiles.Of(ttft, 50), Observability.Percentiles.Of(ttft, 95),
                Observability.Percentiles.Of(latency, 50), Observability.Percentiles.Of(latency, 95));
        }
    }

    private static void Trim(Queue<(DateTimeOffset At, double Ms)> queue, DateTimeOffset since)
    {
        while (queue.Count > 0 && queue.Peek().At < since) queue.Dequeue();
    }

    public void Dispose() => _listener.Dispose();
}
