using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>
/// Expiration as both storages express it through the API: time-to-live values, persisting, and records told to
/// expire now, which go at once. (Removal after time passes needs a clock the reference cannot take; the LiteDB
/// storage's own facts cover it with a fake clock.)
/// </summary>
public abstract class ExpirationContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    private JobStorageTransaction NewTransaction() => (JobStorageTransaction)Connection.CreateWriteTransaction();

    [Fact]
    public void ExpireSetListHash_SetTimeToLive_WhenTheyExist()
    {
        Fill();

        using (var transaction = NewTransaction())
        {
            transaction.ExpireSet("set", TimeSpan.FromHours(1));
            transaction.ExpireList("list", TimeSpan.FromHours(2));
            transaction.ExpireHash("hash", TimeSpan.FromHours(3));
            transaction.Commit();
        }

        AssertAbout(TimeSpan.FromHours(1), ExtendedConnection.GetSetTtl("set"));
        AssertAbout(TimeSpan.FromHours(2), ExtendedConnection.GetListTtl("list"));
        AssertAbout(TimeSpan.FromHours(3), ExtendedConnection.GetHashTtl("hash"));
    }

    [Fact]
    public void PersistSetListHash_ClearTimeToLive_WhenTheyHadOne()
    {
        Fill();
        using (var transaction = NewTransaction())
        {
            transaction.ExpireSet("set", TimeSpan.FromHours(1));
            transaction.ExpireList("list", TimeSpan.FromHours(1));
            transaction.ExpireHash("hash", TimeSpan.FromHours(1));
            transaction.Commit();
        }

        using (var transaction = NewTransaction())
        {
            transaction.PersistSet("set");
            transaction.PersistList("list");
            transaction.PersistHash("hash");
            transaction.Commit();
        }

        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetSetTtl("set"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetListTtl("list"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetHashTtl("hash"));
    }

    [Fact]
    public void TimeToLive_IsInfinite_WhenRecordDoesNotExist()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetSetTtl("missing"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetListTtl("missing"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetHashTtl("missing"));
    }

    [Fact]
    public void Expire_RemovesRecordsAtOnce_WhenTimeToLiveIsZero()
    {
        Fill();
        var jobId = CreateJob();

        using (var transaction = NewTransaction())
        {
            transaction.ExpireSet("set", TimeSpan.Zero);
            transaction.ExpireList("list", TimeSpan.Zero);
            transaction.ExpireHash("hash", TimeSpan.Zero);
            transaction.ExpireJob(jobId, TimeSpan.Zero);
            transaction.Commit();
        }

        Assert.Equal(0, ExtendedConnection.GetSetCount("set"));
        Assert.Equal(0, ExtendedConnection.GetListCount("list"));
        Assert.Null(Connection.GetAllEntriesFromHash("hash"));
        Assert.Null(Connection.GetJobData(jobId));
    }

    [Fact]
    public void SetTimeToLive_Vanishes_WhenLastMemberIsRemoved()
    {
        Fill();
        using (var transaction = NewTransaction())
        {
            transaction.ExpireSet("set", TimeSpan.FromHours(1));
            transaction.Commit();
        }

        using (var transaction = NewTransaction())
        {
            transaction.RemoveFromSet("set", "member");
            transaction.Commit();
        }

        Assert.Equal(Timeout.InfiniteTimeSpan, ExtendedConnection.GetSetTtl("set"));
    }

    private void Fill()
    {
        using var transaction = NewTransaction();
        transaction.AddToSet("set", "member");
        transaction.InsertToList("list", "item");
        transaction.SetRangeInHash("hash", [new("field", "value")]);
        transaction.Commit();
    }
}
