using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>
/// The SQL-Server-style queue guarantees that Hangfire.InMemory cannot express: fetched entries stay in the file,
/// come back after the invisibility timeout, are put back on dispose, and are acknowledged only by their owner.
/// </summary>
public sealed class FetchDurabilityFacts : IDisposable
{
    private readonly LiteDbFixture _fixture = new();

    private LiteDbStorage Storage => _fixture.Storage;

    [Fact]
    public void FetchNextJob_MarksEntryFetched_InsteadOfRemovingIt()
    {
        var jobId = _fixture.Enqueue();
        using var connection = Storage.GetConnection();

        using var fetched = _fixture.Fetch(connection);

        var monitoring = Storage.GetMonitoringApi();
        Assert.Equal(0, monitoring.EnqueuedCount("default"));
        Assert.Equal(1, monitoring.FetchedCount("default"));
        var listed = Assert.Single(monitoring.FetchedJobs("default", 0, 10));
        Assert.Equal(jobId, listed.Key);
        Assert.Equal(_fixture.Clock.GetUtcNow().UtcDateTime, listed.Value.FetchedAt);
    }

    [Fact]
    public void FetchNextJob_ReturnsEntryAgain_WhenInvisibilityTimeoutHasPassed()
    {
        var jobId = _fixture.Enqueue();
        using var first = Storage.GetConnection();
        var abandoned = _fixture.Fetch(first);
        Assert.False(_fixture.CanFetch());

        _fixture.Clock.Advance(_fixture.InvisibilityTimeout + TimeSpan.FromSeconds(1));

        using var second = Storage.GetConnection();
        using var refetched = _fixture.Fetch(second);
        Assert.Equal(jobId, refetched.JobId);
        GC.KeepAlive(abandoned);
    }

    [Fact]
    public void RemoveFromQueue_LeavesEntry_WhenAnotherFetchHasTakenItOver()
    {
        _fixture.Enqueue();
        using var first = Storage.GetConnection();
        var stale = _fixture.Fetch(first);
        _fixture.Clock.Advance(_fixture.InvisibilityTimeout + TimeSpan.FromSeconds(1));
        using var second = Storage.GetConnection();
        var current = _fixture.Fetch(second);

        stale.RemoveFromQueue();
        stale.Dispose();

        var monitoring = Storage.GetMonitoringApi();
        Assert.Equal(1, monitoring.FetchedCount("default"));
        current.RemoveFromQueue();
        Assert.Equal(0, monitoring.FetchedCount("default"));
        Assert.Equal(0, monitoring.EnqueuedCount("default"));
    }

    [Fact]
    public void Requeue_DoesNothing_WhenAnotherFetchHasTakenTheEntryOver()
    {
        _fixture.Enqueue();
        using var first = Storage.GetConnection();
        var stale = _fixture.Fetch(first);
        _fixture.Clock.Advance(_fixture.InvisibilityTimeout + TimeSpan.FromSeconds(1));
        using var second = Storage.GetConnection();
        using var current = _fixture.Fetch(second);

        stale.Requeue();

        Assert.Equal(0, Storage.GetMonitoringApi().EnqueuedCount("default"));
        Assert.False(_fixture.CanFetch());
    }

    [Fact]
    public void Dispose_PutsEntryBack_WhenJobWasNotAcknowledged()
    {
        var jobId = _fixture.Enqueue();
        using var connection = Storage.GetConnection();

        _fixture.Fetch(connection).Dispose();

        var monitoring = Storage.GetMonitoringApi();
        Assert.Equal(1, monitoring.EnqueuedCount("default"));
        Assert.Equal(0, monitoring.FetchedCount("default"));
        using var again = _fixture.Fetch(connection);
        Assert.Equal(jobId, again.JobId);
    }

    [Fact]
    public void Dispose_KeepsEntryRemoved_WhenJobWasAcknowledgedInATransaction()
    {
        _fixture.Enqueue();
        using var connection = Storage.GetConnection();
        var fetched = _fixture.Fetch(connection);
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.RemoveFromQueue(fetched);
            transaction.Commit();
        }

        fetched.Dispose();

        Assert.Equal(0, Storage.GetMonitoringApi().EnqueuedCount("default"));
        Assert.Equal(0, Storage.GetMonitoringApi().FetchedCount("default"));
    }

    [Fact]
    public void KeepAlive_KeepsEntryInvisible_WhileItsWorkerIsAlive()
    {
        _fixture.Enqueue();
        using var connection = Storage.GetConnection();
        using var fetched = _fixture.Fetch(connection);
        var mostOfTheTimeout = _fixture.InvisibilityTimeout * 0.8;

        _fixture.Clock.Advance(mostOfTheTimeout);
        Storage.KeepAlive.RenewNow();
        _fixture.Clock.Advance(mostOfTheTimeout);

        Assert.False(_fixture.CanFetch());
    }

    [Fact]
    public void Reopen_PutsBackEntriesOfTheEndedProcess_WithoutWaitingForTheTimeout()
    {
        var jobId = _fixture.Enqueue();
        var connection = Storage.GetConnection();
        var orphan = _fixture.Fetch(connection);

        _fixture.Reopen();

        using var newConnection = Storage.GetConnection();
        using var refetched = _fixture.Fetch(newConnection);
        Assert.Equal(jobId, refetched.JobId);
        Assert.Throws<ObjectDisposedException>(orphan.Dispose);
    }

    public void Dispose() => _fixture.Dispose();
}
