using System.Diagnostics.Metrics;
using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Batches.Jobs;

/// <summary>
/// "qwenvl.batch.items" on the engine's meter (the factory hands out the one "QwenVlStudio.Engine" meter, so
/// /metrics and the monitor see it beside the engine's instruments): batch items finished, by outcome.
/// </summary>
public sealed class BatchMetrics
{
    public const string ItemsInstrument = "qwenvl.batch.items";

    private readonly Counter<long> _items;

    public BatchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(EngineMetrics.MeterName);
        _items = meter.CreateCounter<long>(ItemsInstrument, "{item}", "Batch items finished, by outcome (done, failed, cancelled)");
    }

    public void ItemFinished(BatchItemStatus status) =>
        _items.Add(1, new KeyValuePair<string, object?>("outcome", status.ToString().ToLowerInvariant()));
}
