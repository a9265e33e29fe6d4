using System.Diagnostics.Metrics;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Observability;

/// <summary>
/// The engine's instruments on the "QwenVlStudio.Engine" meter (System.Diagnostics.Metrics), exported by /metrics
/// and read by the dashboard. Durations are in seconds, as Prometheus expects.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "QwenVlStudio.Engine";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _tokensIn;
    private readonly Counter<long> _tokensOut;
    private readonly Histogram<double> _ttft;
    private readonly Histogram<double> _vision;
    private readonly Histogram<double> _prefill;
    private readonly Histogram<double> _decodeRate;
    private readonly Histogram<double> _requestDuration;

    public EngineMetrics(IMeterFactory meterFactory, EngineService engine)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("qwenvl.requests", "{request}", "Generation requests admitted or refused, by priority and outcome");
        _failures = _meter.CreateCounter<long>("qwenvl.failures", "{request}", "Requests that ended in an error");
        _tokensIn = _meter.CreateCounter<long>("qwenvl.tokens.input", "{token}", "Prompt tokens (text and image)");
        _tokensOut = _meter.CreateCounter<long>("qwenvl.tokens.output", "{token}", "Generated tokens");
        _ttft = Seconds("qwenvl.ttft", "Time to first token");
        _vision = Seconds("qwenvl.vision.duration", "Vision encoder time per request");
        _prefill = Seconds("qwenvl.prefill.duration", "Prefill time per request");
        _decodeRate = _meter.CreateHistogram("qwenvl.decode.tokens_per_second", "{token}/s", "Decode speed per request",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TokensPerSecondBuckets });
        _requestDuration = Seconds("qwenvl.request.duration", "Whole request, queue included");
        _meter.CreateObservableGauge("qwenvl.queue.depth", () =>
        {
            var s = engine.Load;
            return new[]
            {
                new Measurement<int>(s.QueuedInteractive, new KeyValuePair<string, object?>("priority", "interactive")),
                new Measurement<int>(s.QueuedBatch, new KeyValuePair<string, object?>("priority", "batch")),
            };
        }, "{request}", "Requests waiting, by priority class");
        _meter.CreateObservableGauge("qwenvl.sequences.active", () => engine.Load.Running, "{sequence}", "Sequences generating now");
        _meter.CreateObservableGauge("qwenvl.engine.ready", () => engine.Status.State == EngineState.Ready ? 1 : 0, null, "1 when the model is loaded and ready");
        engine.RequestCompleted += Completed;
        engine.TokenGenerated += Token;
        engine.RequestFailed += Failed;
        _engine = engine;
    }

    private readonly EngineService _engine;

    /// <summary>
    /// Bucket bounds of the latency histograms, in seconds. The exporter's default bounds (0, 5, 10 … 10000) are made
    /// for milliseconds and would put every time to first token in the first bucket; these span a cached prefix
    /// (tens of ms) to a long answer on a slow CPU (minutes).
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];

    public static readonly IReadOnlyList<double> TokensPerSecondBuckets = [1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 250, 500];

    private Histogram<double> Seconds(string name, string description) =>
        _meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>A request that ended in an exception: refused (busy, loading), rejected input, or a fault.</summary>
    public void Failed(RequestPriority priority, Exception error)
    {
        var p = new KeyValuePair<string, object?>("priority", Name(priority));
        var outcome = EngineErrorClassifier.Classify(error).MetricOutcome;
        _requests.Add(1, p, new("outcome", outcome));
        if (outcome is "error" or "rejected")
            _failures.Add(1, p, new("error", error.GetType().Name));
    }

    /// <summary>Counted as each token streams, so tokens/s is live rather than a spike at the end.</summary>
    public void Token(RequestPriority priority) => _tokensOut.Add(1, new KeyValuePair<string, object?>("priority", Name(priority)));

    /// <summary>Records a finished generation (its last event carries the totals).</summary>
    public void Completed(RequestPriority priority, GenerationStats stats, FinishReason reason, TimeSpan total)
    {
        var p = new KeyValuePair<string, object?>("priority", Name(priority));
        _requests.Add(1, p, new("outcome", reason.ToString().ToLowerInvariant()));
        _tokensIn.Add(stats.PromptTokens, p);
        if (stats.GeneratedTokens > 0) _ttft.Record(stats.TimeToFirstTokenMs / 1000, p);
        if (stats.ImageCount > 0) _vision.Record(stats.VisionMs / 1000, p);
        _prefill.Record(stats.PrefillMs / 1000, p);
        if (stats.DecodeTokensPerSecond > 0) _decodeRate.Record(stats.DecodeTokensPerSecond, p);
        _requestDuration.Record(total.TotalSeconds, p);
    }

    private static string Name(RequestPriority priority) => priority.ToString().ToLowerInvariant();

    public void Dispose()
    {
        _engine.RequestCompleted -= Completed;
        _engine.TokenGenerated -= Token;
        _engine.RequestFailed -= Failed;
        _meter.Dispose();
    }
}
