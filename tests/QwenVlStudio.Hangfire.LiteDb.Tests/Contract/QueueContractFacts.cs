using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>Queues: fetch order, acknowledge, requeue, waiting and cancellation.</summary>
public abstract class QueueContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    [Fact]
    public void FetchNextJob_ReturnsJobsFirstInFirstOut_WithinAQueue()
    {
        var first = Enqueue(number: 1);
        var second = Enqueue(number: 2);

        using var a = Fetch();
        using var b = Fetch();

        Assert.Equal(first, a.JobId);
        Assert.Equal(second, b.JobId);
    }

    [Fact]
    public void FetchNextJob_PrefersEarlierQueues_WhenSeveralHaveJobs()
    {
        var low = Enqueue("low");
        var critical = Enqueue("critical");

        using var a = Fetch("critical", "low");
        using var b = Fetch("critical", "low");

        Assert.Equal(critical, a.JobId);
        Assert.Equal(low, b.JobId);
    }

    [Fact]
    public void FetchNextJob_HidesFetchedJob_FromOtherFetches()
    {
        Enqueue();
        Assert.Equal(1, Monitoring.EnqueuedCount("default"));

        using var fetched = Fetch();

        Assert.Equal(0, Monitoring.EnqueuedCount("default"));
        AssertNothingToFetch("default");
    }

    [Fact]
    public void RemoveFromQueue_AcknowledgesJob_SoItIsNotFetchedAgain()
    {
        Enqueue();

        using (var fetched = Fetch())
        {
            fetched.RemoveFromQueue();
        }

        AssertNothingToFetch("default");
        Assert.Equal(0, Monitoring.EnqueuedCount("default"));
    }

    [Fact]
    public void Requeue_MakesJobFetchableAgain_WhenCalled()
    {
        var jobId = Enqueue();

        using (var fetched = Fetch())
        {
            fetched.Requeue();
        }

        Assert.Equal(1, Monitoring.EnqueuedCount("default"));
        using var again = Fetch();
        Assert.Equal(jobId, again.JobId);
    }

    [Fact]
    public void RemoveFromQueue_InsideTransaction_AcknowledgesJob_WhenCommitted()
    {
        Enqueue();
        using var fetched = Fetch();

        Commit(transaction => ((JobStorageTransaction)transaction).RemoveFromQueue(fetched));
        fetched.RemoveFromQueue();

        AssertNothingToFetch("default");
    }

    [Fact]
    public async Task FetchNextJob_Waits_UntilAJobIsEnqueued()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var other = NewConnection();
        var fetching = Task.Run(() => other.FetchNextJob(["default"], cancel.Token));

        var jobId = Enqueue();

        using var fetched = await fetching;
        Assert.Equal(jobId, fetched.JobId);
    }

    [Fact]
    public void FetchNextJob_ThrowsOperationCanceled_WhenCancelledWhileWaiting()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAny<OperationCanceledException>(() => Connection.FetchNextJob(["default"], cancel.Token));
    }

    [Fact]
    public void FetchNextJob_Throws_WhenNoQueueIsGiven()
    {
        Assert.Throws<ArgumentException>(() => Connection.FetchNextJob([], CancellationToken.None));
        Assert.Throws<ArgumentNullException>(() => Connection.FetchNextJob(null!, CancellationToken.None));
    }

    [Fact]
    public void FetchNextJob_HandsEachJobToOneFetcher_WhenManyFetchConcurrently()
    {
        var enqueued = Enumerable.Range(0, 200).Select(i => Enqueue(number: i)).ToHashSet();
        var fetchedIds = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 4, _ =>
        {
            using var connection = Storage.GetConnection();
            for (var i = 0; i < 50; i++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var fetched = connection.FetchNextJob(["default"], timeout.Token);
                fetchedIds.Add(fetched.JobId);
                fetched.RemoveFromQueue();
            }
        });

        Assert.Equal(200, fetchedIds.Count);
        Assert.True(enqueued.SetEquals(fetchedIds));
    }
}
