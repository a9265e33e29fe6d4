using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Jobs;
using QwenVlStudio.Web.Observability;

namespace QwenVlStudio.Web.Tests.Observability;

/// <summary>Batch items finished reach the monitor through the engine meter, apart from the token count.</summary>
public sealed class BatchItemsMeterFacts
{
    [Fact]
    public void BatchMetrics_ItemsAreCountedByTheListener_NotAsTokens()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BatchMetrics(services.GetRequiredService<IMeterFactory>());
        using var listener = new EngineMeterListener(TimeProvider.System);
        listener.TakeTokens();
        listener.TakeBatchItems();

        for (var i = 0; i < 1000; i++)
            metrics.ItemFinished(i % 2 == 0 ? BatchItemStatus.Done : BatchItemStatus.Failed);

        // The listener hears every host of this test process, so others' items and tokens may add a few.
        Assert.InRange(listener.TakeBatchItems(), 1000, 1500);
        Assert.InRange(listener.TakeTokens(), 0, 999); // had the items been counted as tokens, this would be ≥ 1000
    }
}
