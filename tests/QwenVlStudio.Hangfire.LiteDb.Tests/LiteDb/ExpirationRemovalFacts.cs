using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Expiration;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>Removal of expired records as the storage clock passes their time, and what that does to the file.</summary>
public sealed class ExpirationRemovalFacts : IDisposable
{
    private readonly LiteDbFixture _fixture = new();

    private LiteDbStorage Storage => _fixture.Storage;

    [Fact]
    public void RemoveExpiredRecords_RemovesEachKind_OnceItsTimeHasPassed()
    {
        var jobId = _fixture.Enqueue();
        using var connection = (JobStorageConnection)Storage.GetConnection();
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.ExpireJob(jobId, TimeSpan.FromMinutes(10));
            transaction.AddToSet("set", "a");
            transaction.ExpireSet("set", TimeSpan.FromMinutes(10));
            transaction.InsertToList("list", "a");
            transaction.ExpireList("list", TimeSpan.FromMinutes(10));
            transaction.SetRangeInHash("hash", [new("f", "v")]);
            transaction.ExpireHash("hash", TimeSpan.FromMinutes(10));
            transaction.IncrementCounter("counter", TimeSpan.FromMinutes(10));
            transaction.AddToSet("kept", "a");
            transaction.Commit();
        }

        _fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, Storage.RemoveExpiredRecords());
        _fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var removed = Storage.RemoveExpiredRecords();

        Assert.Equal(5, removed);
        Assert.Null(connection.GetJobData(jobId));
        Assert.Equal(0, connection.GetSetCount("set"));
        Assert.Equal(0, connection.GetListCount("list"));
        Assert.Null(connection.GetAllEntriesFromHash("hash"));
        Assert.Equal(0, connection.GetCounter("counter"));
        Assert.Equal(1, connection.GetSetCount("kept"));
    }

    [Fact]
    public void RemoveExpiredRecords_KeepsRecords_ThatWerePersistedAgain()
    {
        var jobId = _fixture.Enqueue();
        using var connection = Storage.GetConnection();
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.ExpireJob(jobId, TimeSpan.FromMinutes(1));
            transaction.PersistJob(jobId);
            transaction.Commit();
        }

        _fixture.Clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, Storage.RemoveExpiredRecords());
        Assert.NotNull(connection.GetJobData(jobId));
    }

    [Fact]
    public void TimeToLive_CountsDown_WithTheStorageClock()
    {
        using var connection = (JobStorageConnection)Storage.GetConnection();
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.SetRangeInHash("hash", [new("f", "v")]);
            transaction.ExpireHash("hash", TimeSpan.FromMinutes(10));
            transaction.Commit();
        }

        _fixture.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(TimeSpan.FromMinutes(6), connection.GetHashTtl("hash"));
        _fixture.Clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(TimeSpan.Zero, connection.GetHashTtl("hash"));
    }

    [Fact]
    public void GetStorageWideProcesses_IncludesTheExpirationManager()
    {
        Assert.Contains(Storage.GetStorageWideProcesses(), process => process is ExpirationManager);
    }

    [Fact]
    public void RemoveExpiredRecords_KeepsTheFileFromGrowing_WhenFinishedJobsComeAndGo()
    {
        long? sizeAfterFirstCycle = null;
        for (var cycle = 0; cycle < 4; cycle++)
        {
            CreateExpiringJobs(400);
            _fixture.Clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal(400, Storage.RemoveExpiredRecords());
            _fixture.Reopen(); // closing checkpoints the log into the data file
            var size = new FileInfo(_fixture.FilePath).Length;
            sizeAfterFirstCycle ??= size;
            Assert.True(size <= sizeAfterFirstCycle * 1.25, $"Cycle {cycle}: {size} bytes, after the first cycle {sizeAfterFirstCycle}.");
        }
    }

    private void CreateExpiringJobs(int count)
    {
        using var connection = Storage.GetConnection();
        for (var i = 0; i < count; i++)
        {
            var jobId = connection.CreateExpiredJob(
                Job.FromExpression(() => TestJobs.Noop(i)), new Dictionary<string, string?>(),
                DateTime.UtcNow, TimeSpan.FromHours(1));
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetJobState(jobId, new SucceededState(null, 1, 1));
            transaction.Commit();
        }
    }

    public void Dispose() => _fixture.Dispose();
}
