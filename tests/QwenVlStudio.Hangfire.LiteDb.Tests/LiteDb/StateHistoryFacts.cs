using Hangfire.States;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>A job's state history is capped at MaxStateHistoryLength, and the cap never drops the current state.</summary>
public sealed class StateHistoryFacts : IDisposable
{
    private readonly LiteDbFixture _fixture = new(options => options.MaxStateHistoryLength = 3);

    [Fact]
    public void SetJobState_KeepsTheNewestStates_WhenHistoryExceedsTheLimit()
    {
        var jobId = _fixture.Enqueue();
        SetStates(jobId, new ScheduledState(TimeSpan.FromHours(1)), new EnqueuedState("critical"), new DeletedState());

        var details = _fixture.Storage.GetMonitoringApi().JobDetails(jobId);

        Assert.Equal(["Deleted", "Enqueued", "Scheduled"], details.History.Select(state => state.StateName).ToArray());
        Assert.Equal("critical", details.History[1].Data["Queue"]);
        using var connection = _fixture.Storage.GetConnection();
        Assert.Equal("Deleted", connection.GetStateData(jobId)!.Name);
    }

    [Fact]
    public void AddJobState_KeepsTheCurrentState_WhenLaterHistoryFillsTheLimit()
    {
        var jobId = _fixture.Enqueue();
        using var connection = _fixture.Storage.GetConnection();
        using (var transaction = connection.CreateWriteTransaction())
        {
            for (var i = 0; i < 4; i++) transaction.AddJobState(jobId, new ScheduledState(TimeSpan.FromMinutes(i + 1)));
            transaction.Commit();
        }

        var state = connection.GetStateData(jobId);

        Assert.Equal("Enqueued", state!.Name);
        Assert.Equal(3, _fixture.Storage.GetMonitoringApi().JobDetails(jobId).History.Count);
        Assert.Equal(1, _fixture.Storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    private void SetStates(string jobId, params IState[] states)
    {
        using var connection = _fixture.Storage.GetConnection();
        foreach (var state in states)
        {
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetJobState(jobId, state);
            transaction.Commit();
        }
    }

    public void Dispose() => _fixture.Dispose();
}
