using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>The connection's job, parameter, state, server and read API.</summary>
public abstract class ConnectionContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    [Fact]
    public void CreateExpiredJob_StoresInvocationAndParameters_WhenJobIsCreated()
    {
        var jobId = CreateJob(42, new Dictionary<string, string?> { ["Culture"] = "fr-FR", ["Empty"] = null });

        var data = Connection.GetJobData(jobId);

        Assert.NotNull(data);
        Assert.Null(data.State);
        Assert.Null(data.LoadException);
        Assert.Equal(nameof(TestJobs.Noop), data.Job.Method.Name);
        Assert.Equal(42, data.Job.Args[0]);
        Assert.Equal("fr-FR", data.ParametersSnapshot["Culture"]);
        AssertCloseToNow(data.CreatedAt);
        Assert.Equal("fr-FR", Connection.GetJobParameter(jobId, "Culture"));
        Assert.Null(Connection.GetJobParameter(jobId, "Empty"));
        Assert.Null(Connection.GetJobParameter(jobId, "Missing"));
    }

    [Fact]
    public void CreateExpiredJob_ReturnsDistinctIds_WhenCalledRepeatedly()
    {
        var ids = Enumerable.Range(0, 20).Select(i => CreateJob(i)).ToList();

        Assert.Equal(20, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-a-job-id")]
    public void GetJobData_ReturnsNull_WhenJobDoesNotExist(string jobId)
    {
        Assert.Null(Connection.GetJobData(jobId));
        Assert.Null(Connection.GetStateData(jobId));
        Assert.Null(Connection.GetJobParameter(jobId, "name"));
    }

    [Fact]
    public void SetJobParameter_OverwritesValue_WhenParameterExists()
    {
        var jobId = CreateJob(parameters: new Dictionary<string, string?> { ["Retry"] = "1" });

        Connection.SetJobParameter(jobId, "Retry", "2");
        Connection.SetJobParameter(jobId, "Added", "yes");

        Assert.Equal("2", Connection.GetJobParameter(jobId, "Retry"));
        Assert.Equal("yes", Connection.GetJobParameter(jobId, "Added"));
    }

    [Fact]
    public void GetStateData_ReturnsCurrentState_WhenStateWasSet()
    {
        var jobId = CreateJob();
        Commit(transaction => transaction.SetJobState(jobId, new EnqueuedState("critical") { Reason = "because" }));

        var state = Connection.GetStateData(jobId);

        Assert.NotNull(state);
        Assert.Equal(EnqueuedState.StateName, state.Name);
        Assert.Equal("because", state.Reason);
        Assert.Equal("critical", state.Data["Queue"]);
        Assert.Equal(EnqueuedState.StateName, Connection.GetJobData(jobId)!.State);
    }

    [Fact]
    public void Heartbeat_Throws_WhenServerWasNeverAnnounced()
    {
        Assert.Throws<BackgroundServerGoneException>(() => Connection.Heartbeat("ghost"));
    }

    [Fact]
    public void AnnounceServer_MakesServerVisible_UntilItIsRemoved()
    {
        Connection.AnnounceServer("server-1", new ServerContext { Queues = ["default", "critical"], WorkerCount = 3 });
        Connection.Heartbeat("server-1");

        var server = Assert.Single(Monitoring.Servers());
        Assert.Equal("server-1", server.Name);
        Assert.Equal(3, server.WorkersCount);
        Assert.Equal(["default", "critical"], server.Queues);
        AssertCloseToNow(server.Heartbeat);
        Assert.Equal(0, Connection.RemoveTimedOutServers(TimeSpan.FromHours(1)));

        Connection.RemoveServer("server-1");

        Assert.Empty(Monitoring.Servers());
    }

    [Fact]
    public void RemoveTimedOutServers_Throws_WhenTimeoutIsNotPositive()
    {
        Assert.Throws<ArgumentException>(() => Connection.RemoveTimedOutServers(TimeSpan.Zero));
    }

    [Fact]
    public void GetUtcDateTime_ReturnsTheCurrentTime_WhenAsked()
    {
        AssertCloseToNow(ExtendedConnection.GetUtcDateTime());
    }

    [Fact]
    public void SetRangeInHash_StoresFields_WhenCalledOnConnection()
    {
        Connection.SetRangeInHash("recurring-job:a", [new("Cron", "* * * * *"), new("Queue", "default")]);
        Connection.SetRangeInHash("recurring-job:a", [new("Queue", "critical")]);

        var hash = Connection.GetAllEntriesFromHash("recurring-job:a");

        Assert.NotNull(hash);
        Assert.Equal(2, hash.Count);
        Assert.Equal("critical", hash["Queue"]);
        Assert.Equal("* * * * *", ExtendedConnection.GetValueFromHash("recurring-job:a", "Cron"));
        Assert.Equal(2, ExtendedConnection.GetHashCount("recurring-job:a"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetHashTtl("recurring-job:a"));
        Assert.Null(Connection.GetAllEntriesFromHash("missing"));
        Assert.Null(ExtendedConnection.GetValueFromHash("missing", "Cron"));
    }

    [Fact]
    public void GetCounter_ReturnsZero_WhenCounterDoesNotExist()
    {
        Assert.Equal(0, ExtendedConnection.GetCounter("stats:missing"));
    }

    [Fact]
    public void ReadMethods_Throw_WhenKeyIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Connection.GetAllItemsFromSet(null!));
        Assert.Throws<ArgumentNullException>(() => Connection.GetAllEntriesFromHash(null!));
        Assert.Throws<ArgumentNullException>(() => ExtendedConnection.GetListCount(null!));
        Assert.Throws<ArgumentNullException>(() => ExtendedConnection.GetCounter(null!));
        Assert.Throws<ArgumentNullException>(() => Connection.GetJobData(null!));
    }

    [Fact]
    public void RangeReads_Throw_WhenRangeIsInvalid()
    {
        Assert.Throws<ArgumentException>(() => ExtendedConnection.GetRangeFromSet("set", -1, 2));
        Assert.Throws<ArgumentException>(() => ExtendedConnection.GetRangeFromList("list", 3, 2));
        Assert.Throws<ArgumentException>(() => Connection.GetFirstByLowestScoreFromSet("set", 5, 1));
        Assert.Throws<ArgumentException>(() => ExtendedConnection.GetFirstByLowestScoreFromSet("set", 0, 1, 0));
    }
}
