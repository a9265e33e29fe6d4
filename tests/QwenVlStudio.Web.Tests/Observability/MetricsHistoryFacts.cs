using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Tests.Observability;

public sealed class MetricsHistoryFacts
{
    private static MetricsSample Sample(int second) =>
        new(DateTime.UnixEpoch.AddSeconds(second), second, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void Add_KeepsTheLastFiveMinutes_AndRaisesAdded()
    {
        var history = new MetricsHistory();
        int raised = 0;
        history.Added += _ => raised++;

        for (int s = 0; s < MetricsHistory.Capacity + 25; s++) history.Add(Sample(s));

        var kept = history.Snapshot();
        Assert.Equal(MetricsHistory.Capacity, kept.Count);
        Assert.Equal(25, kept[0].CpuPercent);
        Assert.Equal(MetricsHistory.Capacity + 24, kept[^1].CpuPercent);
        Assert.Equal(MetricsHistory.Capacity + 25, raised);
    }
}
