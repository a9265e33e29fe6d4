using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Engine;

public sealed class SequenceSchedulerFacts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AcquireAsync_AdmitsAtOnce_WhileSlotsAreFree()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 2, maxQueueLength: 1);
        using var first = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        using var second = await scheduler.AcquireAsync(WorkPriority.Batch, null, CancellationToken.None);
        Assert.Equal(2, scheduler.Snapshot().RunningSequences);
        Assert.Equal(0, scheduler.Snapshot().Queued);
    }

    [Fact]
    public async Task AcquireAsync_ThrowsBusy_WhenQueueOfThatClassIsFull()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 1);
        using var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        var waiting = scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);

        var busy = await Assert.ThrowsAsync<EngineBusyException>(
            () => scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None));

        Assert.Contains("busy", busy.Message);
        Assert.Contains("try again", busy.Message);
        Assert.Equal(WorkPriority.Interactive, busy.Priority);
        Assert.False(waiting.IsCompleted);
        // The batch class has its own queue: a full interactive queue does not refuse batch work.
        var batch = scheduler.AcquireAsync(WorkPriority.Batch, null, CancellationToken.None);
        Assert.False(batch.IsCompleted);
        Assert.Equal(2, scheduler.Snapshot().Queued);
    }

    [Fact]
    public async Task Release_AdmitsInteractiveBeforeOlderBatch_WhenBothWait()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 4);
        var running = await scheduler.AcquireAsync(WorkPriority.Batch, null, CancellationToken.None);
        var batch = scheduler.AcquireAsync(WorkPriority.Batch, null, CancellationToken.None);
        var interactive = scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);

        running.Dispose();

        using var admitted = await interactive.WaitAsync(Timeout);
        Assert.False(batch.IsCompleted);
        admitted.Dispose();
        using var then = await batch.WaitAsync(Timeout);
        Assert.Equal(WorkPriority.Batch, then.Priority);
    }

    [Fact]
    public async Task Release_AdmitsInArrivalOrder_WithinOneClass()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 8);
        var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 5)
            .Select(i => scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None)
                .ContinueWith(t => { lock (order) order.Add(i); return t.Result; }, TaskScheduler.Default))
            .ToList();

        running.Dispose();
        foreach (var waiter in waiters)
            (await waiter.WaitAsync(Timeout)).Dispose();

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task AcquireAsync_ReportsQueuePositions_AsTheLineMoves()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 8);
        var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        var firstPositions = new List<int>();
        var secondPositions = new List<int>();
        var first = scheduler.AcquireAsync(WorkPriority.Interactive, p => firstPositions.Add(p), CancellationToken.None);
        var second = scheduler.AcquireAsync(WorkPriority.Interactive, p => secondPositions.Add(p), CancellationToken.None);

        Assert.Equal([1], firstPositions);
        Assert.Equal([2], secondPositions);

        running.Dispose();
        (await first.WaitAsync(Timeout)).Dispose();
        (await second.WaitAsync(Timeout)).Dispose();
        Assert.Equal([2, 1], secondPositions);
    }

    [Fact]
    public async Task Cancel_RemovesWaiterAtOnce_AndMovesOthersUp()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 8);
        using var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var positions = new List<int>();
        var cancelled = scheduler.AcquireAsync(WorkPriority.Interactive, null, cts.Token);
        var behind = scheduler.AcquireAsync(WorkPriority.Interactive, p => positions.Add(p), CancellationToken.None);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(1, scheduler.Snapshot().Queued);
        Assert.Equal([2, 1], positions);
        Assert.False(behind.IsCompleted);
    }

    [Fact]
    public async Task Dispose_FreesSlotOnce_WhenCalledTwice()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 8);
        var slot = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        slot.Dispose();
        slot.Dispose();
        Assert.Equal(0, scheduler.Snapshot().RunningSequences);
        using var next = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        Assert.Equal(1, scheduler.Snapshot().RunningSequences);
    }

    [Fact]
    public async Task PauseAndDrainAsync_WaitsForRunningAndHoldsNewcomers_UntilResume()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 2, maxQueueLength: 8);
        var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);

        var drained = scheduler.PauseAndDrainAsync(CancellationToken.None);
        var newcomer = scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        Assert.False(drained.IsCompleted);

        running.Dispose();
        await drained.WaitAsync(Timeout);
        Assert.False(newcomer.IsCompleted);

        scheduler.Resume();
        using var admitted = await newcomer.WaitAsync(Timeout);
        Assert.False(scheduler.Snapshot().Paused);
    }

    [Fact]
    public async Task Reconfigure_AdmitsWaiters_WhenConcurrencyGrows()
    {
        var scheduler = new SequenceScheduler(maxConcurrent: 1, maxQueueLength: 8);
        using var running = await scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);
        var waiting = scheduler.AcquireAsync(WorkPriority.Interactive, null, CancellationToken.None);

        scheduler.Reconfigure(maxConcurrent: 2, maxQueueLength: 8);

        using var admitted = await waiting.WaitAsync(Timeout);
        Assert.Equal(2, scheduler.Snapshot().RunningSequences);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Constructor_Throws_WhenLimitsAreBelowOne(int maxConcurrent, int maxQueue) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceScheduler(maxConcurrent, maxQueue));
}
