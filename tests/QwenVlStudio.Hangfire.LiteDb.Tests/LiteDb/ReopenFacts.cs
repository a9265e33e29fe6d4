using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>Everything committed is still there when the file is opened again.</summary>
public sealed class ReopenFacts : IDisposable
{
    private readonly LiteDbFixture _fixture = new();

    [Fact]
    public void Reopen_KeepsJobsSetsHashesListsAndCounters()
    {
        var jobId = _fixture.Enqueue();
        using (var connection = _fixture.Storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddToSet("set", "member", 2.5);
            transaction.SetRangeInHash("hash", [new("field", "value")]);
            transaction.InsertToList("list", "item");
            transaction.IncrementCounter("counter");
            ((JobStorageTransaction)transaction).ExpireSet("set", TimeSpan.FromHours(1));
            transaction.Commit();
        }

        _fixture.Reopen();

        using var reopened = (JobStorageConnection)_fixture.Storage.GetConnection();
        Assert.Equal("Enqueued", reopened.GetJobData(jobId)!.State);
        Assert.Equal(["member"], reopened.GetRangeFromSet("set", 0, 1));
        Assert.Equal(TimeSpan.FromHours(1), reopened.GetSetTtl("set"));
        Assert.Equal("value", reopened.GetValueFromHash("hash", "field"));
        Assert.Equal(["item"], reopened.GetAllItemsFromList("list"));
        Assert.Equal(1, reopened.GetCounter("counter"));
        Assert.Equal(1, _fixture.Storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    [Fact]
    public void Reopen_ContinuesIdsAfterTheLargestStoredOne()
    {
        var before = Enumerable.Range(0, 3).Select(_ => long.Parse(_fixture.Enqueue())).ToList();

        _fixture.Reopen();
        var after = long.Parse(_fixture.Enqueue());

        Assert.True(after > before.Max(), $"Id {after} was issued again after reopening (largest before: {before.Max()}).");
        Assert.Equal(4, _fixture.Storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    public void Dispose() => _fixture.Dispose();
}
