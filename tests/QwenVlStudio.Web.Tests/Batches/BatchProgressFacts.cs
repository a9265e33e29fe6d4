using QwenVlStudio.Web.Batches;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class BatchProgressFacts
{
    private static readonly DateTime T0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static BatchItemRecord Item(BatchItemStatus status, double? startedAt = null, double? finishedAt = null) => new()
    {
        Status = status,
        StartedUtc = startedAt is { } s ? T0.AddSeconds(s) : null,
        FinishedUtc = finishedAt is { } f ? T0.AddSeconds(f) : null,
    };

    [Fact]
    public void Of_CountsEveryItemOnce_AndPercentOfFinished()
    {
        var items = new[]
        {
            Item(BatchItemStatus.Done, 0, 2), Item(BatchItemStatus.Done, 2, 4), Item(BatchItemStatus.Failed, 4, 5),
            Item(BatchItemStatus.Running, 5), Item(BatchItemStatus.Pending), Item(BatchItemStatus.Pending),
            Item(BatchItemStatus.Cancelled),
        };

        var progress = BatchProgress.Of(new BatchRecord(), items, T0.AddSeconds(6));

        Assert.Equal((7, 2, 1, 1, 2, 1), (progress.Total, progress.Done, progress.Failed, progress.Cancelled, progress.Pending, progress.Running));
        Assert.Equal(4, progress.Finished);
        Assert.Equal(57, progress.Percent); // 4 of 7, rounded down: 100 only when all are final
        Assert.Equal(BatchState.Running, progress.State);
    }

    [Fact]
    public void Of_MeasuresImagesPerSecond_AndEstimatesTheRest()
    {
        var items = new[] { Item(BatchItemStatus.Done, 0, 2), Item(BatchItemStatus.Done, 2, 4), Item(BatchItemStatus.Running, 4), Item(BatchItemStatus.Pending) };

        var progress = BatchProgress.Of(new BatchRecord(), items, T0.AddSeconds(4));

        Assert.Equal(0.5, progress.ImagesPerSecond, 6); // 2 items in 4 s
        Assert.Equal(TimeSpan.FromSeconds(4), progress.EstimatedRemaining); // 2 left at 0.5/s
    }

    [Fact]
    public void Of_IsCompleted_WithFullPercent_WhenEveryItemIsDoneOrFailed()
    {
        var items = new[] { Item(BatchItemStatus.Done, 0, 1), Item(BatchItemStatus.Failed), Item(BatchItemStatus.Done, 1, 3) };

        var progress = BatchProgress.Of(new BatchRecord(), items, T0.AddSeconds(100));

        Assert.Equal(BatchState.Completed, progress.State);
        Assert.Equal(100, progress.Percent);
        Assert.Null(progress.EstimatedRemaining);
        Assert.Equal(2 / 3.0, progress.ImagesPerSecond, 6); // from first start to last finish, not to now
    }

    [Fact]
    public void Of_IsQueued_UntilAnItemStarts()
    {
        var items = new[] { Item(BatchItemStatus.Pending), Item(BatchItemStatus.Failed) }; // refused at upload: never started

        var progress = BatchProgress.Of(new BatchRecord(), items, T0);

        Assert.Equal(BatchState.Queued, progress.State);
        Assert.Equal(0, progress.ImagesPerSecond);
        Assert.Null(progress.EstimatedRemaining);
    }

    [Fact]
    public void Of_ReportsCancellingThenCancelled_AfterCancel()
    {
        var batch = new BatchRecord { CancelledUtc = T0 };

        var stopping = BatchProgress.Of(batch, [Item(BatchItemStatus.Running, 0), Item(BatchItemStatus.Cancelled)], T0);
        var stopped = BatchProgress.Of(batch, [Item(BatchItemStatus.Cancelled), Item(BatchItemStatus.Done, 0, 1)], T0);

        Assert.Equal(BatchState.Cancelling, stopping.State);
        Assert.Equal(BatchState.Cancelled, stopped.State);
        Assert.Equal(100, stopped.Percent);
    }
}
