using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>The write-only transaction: buffering, atomic commit, and each kind of record it writes.</summary>
public abstract class TransactionContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    [Fact]
    public void Commit_AppliesNothing_UntilItIsCalled()
    {
        using var transaction = Connection.CreateWriteTransaction();
        transaction.AddToSet("pending", "a");
        transaction.IncrementCounter("pending-counter");

        Assert.Equal(0, ExtendedConnection.GetSetCount("pending"));
        Assert.Equal(0, ExtendedConnection.GetCounter("pending-counter"));

        transaction.Commit();

        Assert.Equal(1, ExtendedConnection.GetSetCount("pending"));
        Assert.Equal(1, ExtendedConnection.GetCounter("pending-counter"));
    }

    [Fact]
    public void Dispose_DiscardsWrites_WhenTransactionWasNotCommitted()
    {
        using (var transaction = Connection.CreateWriteTransaction())
        {
            transaction.AddToSet("discarded", "a");
            transaction.InsertToList("discarded", "a");
        }

        Assert.Equal(0, ExtendedConnection.GetSetCount("discarded"));
        Assert.Equal(0, ExtendedConnection.GetListCount("discarded"));
    }

    [Fact]
    public void CreateJob_CreatesEnqueuedJob_WhenCommittedWithStateAndQueue()
    {
        string jobId = null!;
        Commit(transaction =>
        {
            var extended = (JobStorageTransaction)transaction;
            jobId = extended.CreateJob(
                Job.FromExpression(() => TestJobs.Noop(7)),
                new Dictionary<string, string?> { ["Origin"] = "transaction" },
                DateTime.UtcNow,
                TimeSpan.FromHours(1));
            extended.SetJobParameter(jobId, "Extra", "1");
            transaction.SetJobState(jobId, new EnqueuedState("default"));
            transaction.AddToQueue("default", jobId);
        });

        var data = Connection.GetJobData(jobId);
        Assert.NotNull(data);
        Assert.Equal(EnqueuedState.StateName, data.State);
        Assert.Equal("transaction", data.ParametersSnapshot["Origin"]);
        Assert.Equal("1", data.ParametersSnapshot["Extra"]);
        using var fetched = Fetch("default");
        Assert.Equal(jobId, fetched.JobId);
    }

    [Fact]
    public void AddJobState_AddsHistory_WithoutChangingCurrentState()
    {
        var jobId = CreateJob();
        Commit(transaction =>
        {
            transaction.SetJobState(jobId, new EnqueuedState("default"));
            transaction.AddJobState(jobId, new TestProcessingState("server", "worker"));
        });

        Assert.Equal(EnqueuedState.StateName, Connection.GetStateData(jobId)!.Name);
        var history = Monitoring.JobDetails(jobId).History;
        Assert.Equal([ProcessingState.StateName, EnqueuedState.StateName], history.Select(state => state.StateName).ToArray());
    }

    [Fact]
    public void ExpireJob_SetsExpiration_AndPersistJobClearsIt()
    {
        var jobId = CreateJob();

        Commit(transaction => transaction.ExpireJob(jobId, TimeSpan.FromDays(1)));
        var expireAt = Monitoring.JobDetails(jobId).ExpireAt;
        Commit(transaction => transaction.PersistJob(jobId));

        Assert.NotNull(expireAt);
        Assert.InRange(expireAt.Value, DateTime.UtcNow.AddDays(1).AddMinutes(-1), DateTime.UtcNow.AddDays(1).AddMinutes(1));
        Assert.Null(Monitoring.JobDetails(jobId).ExpireAt);
    }

    [Fact]
    public void JobWrites_DoNothing_WhenJobDoesNotExist()
    {
        Commit(transaction =>
        {
            transaction.SetJobState("999999", new EnqueuedState());
            transaction.ExpireJob("999999", TimeSpan.FromHours(1));
            transaction.AddToSet("written", "despite-missing-job");
        });

        Assert.Null(Connection.GetJobData("999999"));
        Assert.Equal(1, ExtendedConnection.GetSetCount("written"));
    }

    [Fact]
    public void AddToSet_KeepsMembersOrderedByScoreThenValue()
    {
        Commit(transaction =>
        {
            transaction.AddToSet("schedule", "c", 3);
            transaction.AddToSet("schedule", "a", 1);
            transaction.AddToSet("schedule", "b", 1);
            transaction.AddToSet("schedule", "z", -5.5);
            transaction.AddToSet("other", "x", 0);
        });

        Assert.Equal(["z", "a", "b", "c"], ExtendedConnection.GetRangeFromSet("schedule", 0, 10));
        Assert.Equal(["a", "b"], ExtendedConnection.GetRangeFromSet("schedule", 1, 2));
        Assert.Equal("a", Connection.GetFirstByLowestScoreFromSet("schedule", 0, 10));
        Assert.Equal(["a", "b"], ExtendedConnection.GetFirstByLowestScoreFromSet("schedule", 1, 1, 5));
        Assert.Equal(["z", "a"], ExtendedConnection.GetFirstByLowestScoreFromSet("schedule", double.NegativeInfinity, 100, 2));
        Assert.Null(Connection.GetFirstByLowestScoreFromSet("schedule", 4, 100));
        Assert.Equal(new HashSet<string> { "a", "b", "c", "z" }, Connection.GetAllItemsFromSet("schedule"));
        Assert.Equal(4, ExtendedConnection.GetSetCount("schedule"));
    }

    [Fact]
    public void AddToSet_UpdatesScore_WhenValueIsAlreadyMember()
    {
        Commit(transaction =>
        {
            transaction.AddToSet("queue-order", "first", 1);
            transaction.AddToSet("queue-order", "second", 2);
        });

        Commit(transaction => transaction.AddToSet("queue-order", "first", 3));

        Assert.Equal(["second", "first"], ExtendedConnection.GetRangeFromSet("queue-order", 0, 5));
        Assert.Equal(2, ExtendedConnection.GetSetCount("queue-order"));
    }

    [Fact]
    public void SetQueries_ReportMembership_AndLimitedCounts()
    {
        Commit(transaction =>
        {
            ((JobStorageTransaction)transaction).AddRangeToSet("batch:1", ["j1", "j2", "j3"]);
            transaction.AddToSet("batch:2", "j4");
        });

        Assert.True(ExtendedConnection.GetSetContains("batch:1", "j2"));
        Assert.False(ExtendedConnection.GetSetContains("batch:1", "j4"));
        Assert.Equal(4, ExtendedConnection.GetSetCount(["batch:1", "batch:2", "batch:none"], 10));
        Assert.Equal(2, ExtendedConnection.GetSetCount(["batch:1", "batch:2"], 2));
    }

    [Fact]
    public void RemoveFromSet_AndRemoveSet_DeleteMembers()
    {
        Commit(transaction =>
        {
            transaction.AddToSet("s1", "a");
            transaction.AddToSet("s1", "b");
            transaction.AddToSet("s2", "c");
        });

        Commit(transaction =>
        {
            transaction.RemoveFromSet("s1", "a");
            transaction.RemoveFromSet("s1", "not-there");
            ((JobStorageTransaction)transaction).RemoveSet("s2");
        });

        Assert.Equal(new HashSet<string> { "b" }, Connection.GetAllItemsFromSet("s1"));
        Assert.Empty(Connection.GetAllItemsFromSet("s2"));
    }

    [Fact]
    public void SetMembers_CanBeLongValues_WhenValueExceedsIndexKeyLength()
    {
        var longValue = new string('v', 5000);

        Commit(transaction => transaction.AddToSet("long", longValue, 1));

        Assert.True(ExtendedConnection.GetSetContains("long", longValue));
        Assert.Equal(longValue, Connection.GetFirstByLowestScoreFromSet("long", 0, 2));
        Commit(transaction => transaction.RemoveFromSet("long", longValue));
        Assert.Equal(0, ExtendedConnection.GetSetCount("long"));
    }

    [Fact]
    public void InsertToList_PushesAtHead_AndRangeReadsInThatOrder()
    {
        Commit(transaction =>
        {
            transaction.InsertToList("log", "a");
            transaction.InsertToList("log", "b");
            transaction.InsertToList("log", "c");
            transaction.InsertToList("other", "x");
        });

        Assert.Equal(["c", "b", "a"], ExtendedConnection.GetAllItemsFromList("log"));
        Assert.Equal(["b", "a"], ExtendedConnection.GetRangeFromList("log", 1, 5));
        Assert.Equal(3, ExtendedConnection.GetListCount("log"));
    }

    [Fact]
    public void RemoveFromList_RemovesEveryEqualItem()
    {
        Commit(transaction =>
        {
            transaction.InsertToList("log", "a");
            transaction.InsertToList("log", "b");
            transaction.InsertToList("log", "a");
        });

        Commit(transaction => transaction.RemoveFromList("log", "a"));

        Assert.Equal(["b"], ExtendedConnection.GetAllItemsFromList("log"));
    }

    [Fact]
    public void TrimList_KeepsOnlyTheGivenPositions()
    {
        Commit(transaction =>
        {
            foreach (var item in new[] { "1", "2", "3", "4", "5" }) transaction.InsertToList("log", item);
        });

        Commit(transaction => transaction.TrimList("log", 1, 2));

        Assert.Equal(["4", "3"], ExtendedConnection.GetAllItemsFromList("log"));
    }

    [Fact]
    public void Counters_AddUp_AndVanishAtZero()
    {
        Commit(transaction =>
        {
            transaction.IncrementCounter("stats:succeeded");
            transaction.IncrementCounter("stats:succeeded");
            transaction.IncrementCounter("stats:succeeded", TimeSpan.FromDays(1));
            transaction.DecrementCounter("stats:succeeded");
            transaction.DecrementCounter("stats:gone");
            transaction.IncrementCounter("stats:gone");
        });

        Assert.Equal(2, ExtendedConnection.GetCounter("stats:succeeded"));
        Assert.Equal(0, ExtendedConnection.GetCounter("stats:gone"));
    }

    [Fact]
    public void SetRangeInHash_MergesFields_AndRemoveHashDeletesThem()
    {
        Commit(transaction =>
        {
            transaction.SetRangeInHash("h", [new("a", "1"), new("b", "2")]);
            transaction.SetRangeInHash("h", [new("b", "3")]);
            transaction.SetRangeInHash("gone", [new("x", "1")]);
        });
        Commit(transaction => transaction.RemoveHash("gone"));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3" }, Connection.GetAllEntriesFromHash("h"));
        Assert.Null(Connection.GetAllEntriesFromHash("gone"));
    }

    [Fact]
    public void TransactionWrites_Throw_WhenArgumentsAreNull()
    {
        using var transaction = Connection.CreateWriteTransaction();

        Assert.Throws<ArgumentNullException>(() => transaction.AddToSet(null!, "v"));
        Assert.Throws<ArgumentNullException>(() => transaction.AddToSet("k", null!));
        Assert.Throws<ArgumentNullException>(() => transaction.InsertToList("k", null!));
        Assert.Throws<ArgumentNullException>(() => transaction.SetJobState("1", null!));
        Assert.Throws<ArgumentNullException>(() => transaction.AddToQueue(null!, "1"));
        Assert.Throws<ArgumentException>(() => ((JobStorageTransaction)transaction).AddRangeToSet("k", ["a", null!]));
    }

    [Fact]
    public void AcquireDistributedLock_HoldsLockUntilCommit_WhenTakenByTransaction()
    {
        var other = NewConnection();
        using (var transaction = Connection.CreateWriteTransaction())
        {
            ((JobStorageTransaction)transaction).AcquireDistributedLock("resource", TimeSpan.FromSeconds(1));
            transaction.AddToSet("locked-write", "a");

            Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("resource", TimeSpan.Zero));

            transaction.Commit();
        }

        using var acquired = other.AcquireDistributedLock("resource", TimeSpan.Zero);
        Assert.Equal(1, ExtendedConnection.GetSetCount("locked-write"));
    }
}
