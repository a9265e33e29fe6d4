using System.Globalization;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>The monitoring API the dashboard reads: statistics, queues, state lists, job details, graphs.</summary>
public abstract class MonitoringContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    private BackgroundJobClient Client => new(Storage);

    private JobStorageMonitor ExtendedMonitoring => (JobStorageMonitor)Monitoring;

    [Fact]
    public void GetStatistics_CountsJobsByState_AndQueuesServersSets()
    {
        Client.Enqueue(() => TestJobs.Noop(1));
        Client.Enqueue(() => TestJobs.Noop(2));
        Client.Schedule(() => TestJobs.Noop(3), TimeSpan.FromHours(1));
        // Set directly: through the client, the retry filter would turn the failure into a scheduled retry.
        var failed = CreateJob(4);
        Commit(transaction => transaction.SetJobState(failed, new FailedState(new InvalidOperationException("boom"))));
        var deleted = Client.Enqueue(() => TestJobs.Noop(5));
        Client.Delete(deleted);
        Connection.AnnounceServer("server", new ServerContext { Queues = ["default"], WorkerCount = 1 });
        Commit(transaction =>
        {
            transaction.AddToSet("recurring-jobs", "nightly");
            transaction.AddToSet("retries", "1");
        });

        var statistics = Monitoring.GetStatistics();

        Assert.Equal(2, statistics.Enqueued);
        Assert.Equal(1, statistics.Scheduled);
        Assert.Equal(1, statistics.Failed);
        Assert.Equal(0, statistics.Processing);
        Assert.Equal(1, statistics.Deleted);
        Assert.Equal(0, statistics.Succeeded);
        Assert.Equal(1, statistics.Queues);
        Assert.Equal(1, statistics.Servers);
        Assert.Equal(1, statistics.Recurring);
        Assert.Equal(1, statistics.Retries);
        Assert.Equal(0, statistics.Awaiting);
    }

    [Fact]
    public void Queues_ListsEachQueue_WithLengthAndFirstJobs()
    {
        var first = Client.Enqueue(() => TestJobs.Noop(1));
        Client.Create(() => TestJobs.Noop(2), new EnqueuedState("critical"));

        var queues = Monitoring.Queues();

        Assert.Equal(["critical", "default"], queues.Select(queue => queue.Name).ToArray());
        var defaultQueue = queues.Single(queue => queue.Name == "default");
        Assert.Equal(1, defaultQueue.Length);
        var listed = Assert.Single(defaultQueue.FirstJobs);
        Assert.Equal(first, listed.Key);
        Assert.True(listed.Value.InEnqueuedState);
        AssertCloseToNow(listed.Value.EnqueuedAt);
    }

    [Fact]
    public void EnqueuedJobs_PagesThroughQueue_InQueueOrder()
    {
        var ids = Enumerable.Range(0, 5).Select(i => Client.Enqueue(() => TestJobs.Noop(i))).ToList();

        var page = Monitoring.EnqueuedJobs("default", 1, 3);

        Assert.Equal(ids.Skip(1).Take(3), page.Select(job => job.Key));
        Assert.All(page, job => Assert.Equal(nameof(TestJobs.Noop), job.Value.Job.Method.Name));
        Assert.Equal(5, Monitoring.EnqueuedCount("default"));
        Assert.Equal(0, Monitoring.FetchedCount("default"));
    }

    [Fact]
    public void SucceededJobs_ListsNewestFirst_WithResultAndCounts()
    {
        var ids = Enumerable.Range(0, 3).Select(i => CreateJob(i)).ToList();
        foreach (var id in ids)
        {
            Commit(transaction => transaction.SetJobState(id, new SucceededState(result: 42, latency: 5, performanceDuration: 7)));
            Thread.Sleep(2); // distinct state times, so the newest-first order is defined
        }

        var page = Monitoring.SucceededJobs(0, 10);

        Assert.Equal(Enumerable.Reverse(ids), page.Select(job => job.Key));
        Assert.All(page, job => Assert.True(job.Value.InSucceededState));
        Assert.Equal("42", page[0].Value.Result);
        Assert.Equal(12, page[0].Value.TotalDuration);
        Assert.Equal(3, Monitoring.SucceededListCount());
    }

    [Fact]
    public void FailedJobs_ShowExceptionDetails_WhenJobFailed()
    {
        var jobId = CreateJob();
        Commit(transaction => transaction.SetJobState(jobId, new FailedState(new InvalidOperationException("it broke"))));

        var failed = Assert.Single(Monitoring.FailedJobs(0, 10));

        Assert.Equal(jobId, failed.Key);
        Assert.Equal("it broke", failed.Value.ExceptionMessage);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Value.ExceptionType);
        Assert.Equal(1, Monitoring.FailedCount());
    }

    [Fact]
    public void ProcessingScheduledDeletedAwaitingJobs_AreListedByState()
    {
        var processing = CreateJob(1);
        var scheduled = CreateJob(2);
        var deleted = CreateJob(3);
        var awaiting = CreateJob(4);
        Commit(transaction =>
        {
            transaction.SetJobState(processing, new TestProcessingState("server-7", "worker-1"));
            transaction.SetJobState(scheduled, new ScheduledState(TimeSpan.FromHours(2)));
            transaction.SetJobState(deleted, new DeletedState());
            transaction.SetJobState(awaiting, new AwaitingState(processing));
        });

        Assert.Equal("server-7", Assert.Single(Monitoring.ProcessingJobs(0, 10)).Value.ServerId);
        var scheduledJob = Assert.Single(Monitoring.ScheduledJobs(0, 10)).Value;
        Assert.InRange(scheduledJob.EnqueueAt, DateTime.UtcNow.AddHours(2).AddMinutes(-1), DateTime.UtcNow.AddHours(2).AddMinutes(1));
        Assert.Equal(deleted, Assert.Single(Monitoring.DeletedJobs(0, 10)).Key);
        var awaitingJob = Assert.Single(ExtendedMonitoring.AwaitingJobs(0, 10));
        Assert.Equal(awaiting, awaitingJob.Key);
        Assert.Equal(ProcessingState.StateName, awaitingJob.Value.ParentStateName);
        Assert.Equal(1, Monitoring.ProcessingCount());
        Assert.Equal(1, Monitoring.ScheduledCount());
        Assert.Equal(1, Monitoring.DeletedListCount());
        Assert.Equal(1, ExtendedMonitoring.AwaitingCount());
    }

    [Fact]
    public void StateLists_MarkJobsThatLeftTheState_WhenPagesAreStale()
    {
        var jobId = Client.Enqueue(() => TestJobs.Noop(1));
        Client.ChangeState(jobId, new DeletedState());

        var listed = Assert.Single(Monitoring.EnqueuedJobs("default", 0, 10));

        Assert.False(listed.Value.InEnqueuedState);
        Assert.Equal(DeletedState.StateName, listed.Value.State);
    }

    [Fact]
    public void JobDetails_ShowsHistoryNewestFirst_AndParameters()
    {
        var jobId = Client.Enqueue(() => TestJobs.Noop(9));
        Client.ChangeState(jobId, new TestProcessingState("server", "worker"));

        var details = Monitoring.JobDetails(jobId);

        Assert.NotNull(details);
        Assert.Equal(nameof(TestJobs.Noop), details.Job.Method.Name);
        Assert.Equal([ProcessingState.StateName, EnqueuedState.StateName], details.History.Select(state => state.StateName).ToArray());
        Assert.Equal("server", details.History[0].Data["ServerId"]);
        Assert.Contains("CurrentCulture", details.Properties.Keys);
        AssertCloseToNow(details.CreatedAt);
        Assert.Null(Monitoring.JobDetails("999999"));
    }

    [Fact]
    public void Timelines_ReadDailyAndHourlyCounters_ForTheLastDaysAndHours()
    {
        var now = DateTime.UtcNow;
        var today = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var thisHour = now.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture);
        Commit(transaction =>
        {
            for (var i = 0; i < 3; i++) transaction.IncrementCounter($"stats:succeeded:{today}", TimeSpan.FromDays(30));
            transaction.IncrementCounter($"stats:failed:{thisHour}", TimeSpan.FromDays(1));
        });

        var daily = Monitoring.SucceededByDatesCount();
        var hourly = Monitoring.HourlyFailedJobs();

        Assert.Equal(7, daily.Count);
        Assert.Equal(3, daily[now.Date]);
        Assert.Equal(3, daily.Values.Sum());
        Assert.Equal(24, hourly.Count);
        Assert.Equal(1, hourly.Values.Sum());
        Assert.Equal(0, ExtendedMonitoring.DeletedByDatesCount().Values.Sum());
    }
}
