namespace QwenVlStudio.Web.Observability;

/// <summary>The last <see cref="Capacity"/> samples (5 minutes at 1 s), newest last; raises <see cref="Added"/>.</summary>
public sealed class MetricsHistory
{
    public const int Capacity = 300;
    private readonly Queue<MetricsSample> _samples = new();
    private readonly object _gate = new();

    public event Action<MetricsSample>? Added;

    public void Add(MetricsSample sample)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity) _samples.Dequeue();
        }
        Added?.Invoke(sample);
    }

    public IReadOnlyList<MetricsSample> Snapshot()
    {
        lock (_gate)
            return _samples.ToList();
    }
}
