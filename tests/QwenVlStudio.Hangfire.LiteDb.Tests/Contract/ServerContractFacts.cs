using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>A real Hangfire server on the storage: volume, continuations, schedules, retries, recurring jobs, fan-out.</summary>
public abstract class ServerContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected ServerContractFacts() => StorageRegistry.Register(Run, Storage);

    private BackgroundJobClient Client => new(Storage);

    [Fact]
    public void BackgroundJobServer_RunsEachJobExactlyOnce_When2000JobsAreEnqueued()
    {
        var client = Client;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => client.Enqueue(() => TestJobs.Record(Run, i)));

        using (StartServer())
        {
            Assert.True(Poll.Within(() => Monitoring.SucceededListCount() == 2000, Patience),
                $"{Monitoring.SucceededListCount()} of 2000 jobs succeeded.");
        }

        var runs = JobLedger.Entries(Run);
        Assert.Equal(2000, runs.Count);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString()).Order(), runs.Order());
        var statistics = Monitoring.GetStatistics();
        Assert.Equal(2000, statistics.Succeeded);
        Assert.Equal(0, statistics.Enqueued);
        Assert.Equal(0, statistics.Processing);
        Assert.Equal(0, statistics.Failed);
    }

    [Fact]
    public void Continuation_RunsAfterItsParent_WhenParentSucceeds()
    {
        var client = Client;
        var parent = client.Enqueue(() => TestJobs.RecordText(Run, "parent"));
        var child = client.ContinueJobWith(parent, () => TestJobs.RecordText(Run, "child"));

        using (StartServer())
        {
            Assert.True(Poll.Within(() => StateOf(child) == SucceededState.StateName, Patience));
        }

        Assert.Equal(["parent", "child"], JobLedger.Entries(Run));
    }

    [Fact]
    public void ScheduledJob_RunsOnce_WhenItsTimeComes()
    {
        var jobId = Client.Schedule(() => TestJobs.RecordText(Run, "scheduled"), TimeSpan.FromMilliseconds(300));
        Assert.Equal(ScheduledState.StateName, StateOf(jobId));

        using (StartServer())
        {
            Assert.True(Poll.Within(() => StateOf(jobId) == SucceededState.StateName, Patience));
        }

        Assert.Equal(["scheduled"], JobLedger.Entries(Run));
    }

    [Fact]
    public void FailingJob_IsRetried_UntilItSucceeds()
    {
        var jobId = Client.Enqueue(() => TestJobs.FailFirstAttempt(Run));

        using (StartServer())
        {
            Assert.True(Poll.Within(() => StateOf(jobId) == SucceededState.StateName, Patience));
        }

        Assert.Equal(2, JobLedger.Count(Run));
        var history = Monitoring.JobDetails(jobId).History.Select(state => state.StateName).ToList();
        Assert.Contains(FailedState.StateName, history);
        Assert.Equal(2, history.Count(state => state == ProcessingState.StateName));
    }

    [Fact]
    public void RecurringJob_IsEnqueuedAndRun_WhenTriggered()
    {
        var manager = new RecurringJobManager(Storage);
        manager.AddOrUpdate($"recurring-{Run}", Job.FromExpression(() => TestJobs.RecordText(Run, "recurring")), Cron.Never());
        Assert.Equal(1, Monitoring.GetStatistics().Recurring);

        manager.Trigger($"recurring-{Run}");
        using (StartServer())
        {
            Assert.True(Poll.Within(() => JobLedger.Count(Run) == 1 && Monitoring.SucceededListCount() == 1, Patience));
        }

        Assert.Equal(["recurring"], JobLedger.Entries(Run));
    }

    [Fact]
    public void FanOut_RunsEveryChild_WhenAJobEnqueuesAThousand()
    {
        Client.Enqueue(() => TestJobs.FanOut(Run, 1000));

        using (StartServer())
        {
            Assert.True(Poll.Within(() => Monitoring.SucceededListCount() == 1001, Patience),
                $"{Monitoring.SucceededListCount()} of 1001 jobs succeeded.");
        }

        Assert.Equal(1000, JobLedger.Entries(Run).Distinct().Count());
        Assert.Equal(1000, JobLedger.Count(Run));
    }

    private BackgroundJobServer StartServer() => new(
        new BackgroundJobServerOptions
        {
            WorkerCount = 4,
            SchedulePollingInterval = TimeSpan.FromMilliseconds(100),
            ServerName = $"test-{Run}",
        },
        Storage);

    private string? StateOf(string jobId) => Connection.GetStateData(jobId)?.Name;
}
