using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>Batch work yields to people: a chat message sent while a batch runs is answered before the batch's next items.</summary>
public sealed class BatchPriorityFacts : IAsyncLifetime
{
    private readonly StudioFactory _factory = new();

    public async Task InitializeAsync()
    {
        _factory.Settings["Governor:MaxConcurrentSequences"] = "1";
        _factory.Settings["Batch:Workers"] = "3";
        _factory.Engines.Behavior.HoldFirstStep = new TaskCompletionSource();
        await _factory.WaitForEngineAsync();
    }

    public async Task DisposeAsync()
    {
        _factory.Engines.Behavior.HoldFirstStep?.TrySetResult();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task ChatMessage_StartsBeforeTheRemainingBatchItems()
    {
        var engine = _factory.Engine;
        var user = _factory.CreateUser("prio" + Guid.NewGuid().ToString("N")[..8]);
        var batches = _factory.Get<BatchService>();
        var batch = batches.Create(user.Id, BatchInputs.Request(), BatchInputs.Images(6));

        // One item is on the engine (held there), two more wait in the engine's batch queue, three in Hangfire's.
        await Poll.UntilAsync(() => _factory.Engines.Latest!.Requests.Count == 1 && engine.Scheduler.Snapshot().QueuedBatch == 2);
        var (conversation, _) = _factory.Get<ChatTurns>().Post(user.Id, null, "A question from a person", []);
        var replies = _factory.Get<ReplyGenerator>();
        var reply = replies.Begin(user.Id, conversation.Id);
        var chat = Task.Run(() => replies.RunAsync(user.Id, conversation.Id, reply, CancellationToken.None));
        await Poll.UntilAsync(() => engine.Scheduler.Snapshot().QueuedInteractive == 1);

        var hold = _factory.Engines.Behavior.HoldFirstStep!;
        _factory.Engines.Behavior.HoldFirstStep = null;
        hold.SetResult();
        await chat.WaitAsync(TimeSpan.FromSeconds(20));
        var progress = await BatchInputs.WaitUntilFinishedAsync(batches, user.Id, batch.Id);

        Assert.Equal(ReplyPhase.Completed, reply.Phase);
        Assert.Equal(6, progress.Done);
        var asked = BatchInputs.AskedImages(_factory.Engines.Latest!);
        Assert.Equal(7, asked.Count);
        Assert.NotNull(asked[0]);
        Assert.Null(asked[1]); // the chat (no image) went second, ahead of the five items still waiting
        Assert.All(asked.Skip(2), name => Assert.NotNull(name));
    }
}
