using QwenVlStudio.Tests.Shared;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>The host's shared engine under load: a full queue answers "busy", a cancelled answer frees its slot.</summary>
public sealed class EngineQueueFacts : IAsyncLifetime
{
    private readonly StudioFactory _factory = new();

    public async Task InitializeAsync()
    {
        _factory.Settings["Governor:MaxConcurrentSequences"] = "1";
        _factory.Settings["Governor:MaxQueueLength"] = "1";
        _factory.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(20);
        _factory.Engines.Behavior.HoldFirstStep = new TaskCompletionSource();
        Assert.Equal(EngineState.Ready, (await _factory.WaitForEngineAsync()).State);
    }

    public async Task DisposeAsync()
    {
        _factory.Engines.Behavior.HoldFirstStep?.TrySetResult();
        await _factory.DisposeAsync();
    }

    private (Guid Owner, Guid Conversation) NewConversation(string text)
    {
        var user = _factory.CreateUser("q" + Guid.NewGuid().ToString("N")[..10]);
        var (conversation, _) = _factory.Get<ChatTurns>().Post(user.Id, null, text, []);
        return (user.Id, conversation.Id);
    }

    private Task Answer(Guid owner, Guid conversation, LiveReply reply, CancellationToken cancellationToken = default) =>
        Task.Run(() => _factory.Get<ReplyGenerator>().RunAsync(owner, conversation, reply, cancellationToken));

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    [Fact]
    public async Task Reply_FailsWithBusyMessage_WhenQueueIsFull_AndStoresIt()
    {
        var replies = _factory.Get<ReplyGenerator>();
        var (ownerA, a) = NewConversation("first");
        var (ownerB, b) = NewConversation("second");
        var (ownerC, c) = NewConversation("third");
        var first = replies.Begin(ownerA, a);
        var second = replies.Begin(ownerB, b);
        var third = replies.Begin(ownerC, c);

        var running = Answer(ownerA, a, first);
        await Until(() => first.Phase == ReplyPhase.Generating);
        var queued = Answer(ownerB, b, second);
        await Until(() => second.QueuePosition == 1);
        await Answer(ownerC, c, third);

        Assert.Equal(ReplyPhase.Failed, third.Phase);
        Assert.Contains("busy", third.Error);
        Assert.Contains("try again", third.Error);
        var stored = _factory.Get<ConversationStore>().Messages(ownerC, c)[^1];
        Assert.Equal(third.Error, stored.Error);

        _factory.Engines.Behavior.HoldFirstStep!.SetResult();
        await Task.WhenAll(running, queued).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReplyPhase.Completed, first.Phase);
        Assert.Equal(ReplyPhase.Completed, second.Phase);
    }

    [Fact]
    public async Task Cancel_FreesTheSlotForTheNextUser_WhenTheRunningStepEnds()
    {
        var replies = _factory.Get<ReplyGenerator>();
        var engine = _factory.Engine;
        var (ownerA, a) = NewConversation("first, to be stopped");
        var (ownerB, b) = NewConversation("second, waiting");
        var first = replies.Begin(ownerA, a);
        var second = replies.Begin(ownerB, b);
        using var stop = new CancellationTokenSource();

        var running = Answer(ownerA, a, first, stop.Token);
        await Until(() => _factory.Engines.Latest!.Running == 1);
        var waiting = Answer(ownerB, b, second);
        await Until(() => second.QueuePosition == 1);

        await stop.CancelAsync();
        // The first answer's engine step is still held (it ignores cancellation, like a native call): the engine
        // core drops the sequence at the step's end, and the second one takes the slot then.
        Assert.False(running.IsCompleted);
        _factory.Engines.Behavior.HoldFirstStep!.SetResult();

        await Until(() => second.Phase is ReplyPhase.Generating or ReplyPhase.Completed);
        await Task.WhenAll(running, waiting).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReplyPhase.Stopped, first.Phase);
        Assert.Equal(FinishReason.Cancelled, _factory.Get<ConversationStore>().Messages(ownerA, a)[^1].FinishReason);
        Assert.Equal(ReplyPhase.Completed, second.Phase);
        // The slot is freed when the engine's current step ends, a moment after the answer's last event.
        await Poll.UntilAsync(() => engine.Load.Running == 0, what: "the slot freed");
    }
}
