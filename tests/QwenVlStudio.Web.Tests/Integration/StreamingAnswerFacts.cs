using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>
/// Issue 15 item 8: a chat answer is saved as it streams, so a killed process keeps what was written, and the next
/// start marks such an answer interrupted.
/// </summary>
public sealed class StreamingAnswerFacts
{
    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    [Fact]
    public async Task Answer_IsSavedWhileItStreams_AndFinalizedWhenItEnds()
    {
        await using var factory = new StudioFactory();
        var behavior = factory.Engines.Behavior;
        behavior.LongTokens = 60;
        behavior.PauseAfterTokens = ReplyGenerator.SaveEveryTokens + 8;
        behavior.Pause = new TaskCompletionSource();
        await factory.WaitForEngineAsync();
        var owner = factory.CreateUser("streamer").Id;
        var conversation = factory.Get<ChatTurns>().Post(owner, null, "a long answer please", []).Conversation.Id;
        var replies = factory.Get<ReplyGenerator>();
        var reply = replies.Begin(owner, conversation);
        var store = factory.Get<ConversationStore>();
        MessageRecord Stored() => store.Messages(owner, conversation).Single(m => m.Id == reply.MessageId);

        var running = Task.Run(() => replies.RunAsync(owner, conversation, reply, CancellationToken.None));
        await Until(() => reply.TokenEvents >= behavior.PauseAfterTokens);

        // Paused mid-answer: what a kill at this moment would leave on disk.
        var midway = Stored();
        Assert.True(midway.InProgress);
        Assert.StartsWith("Fake answer: word1 ", midway.Text);
        Assert.Contains($"word{ReplyGenerator.SaveEveryTokens} ", midway.Text);
        Assert.Null(midway.FinishReason);

        behavior.Pause.SetResult();
        await running;
        var done = Stored();
        Assert.False(done.InProgress);
        Assert.False(done.Interrupted);
        Assert.Equal(FinishReason.Length, done.FinishReason);
        Assert.Contains("word60 ", done.Text);
    }

    [Fact]
    public async Task Start_MarksAnAnswerLeftInProgress_AsInterrupted_KeepingItsText()
    {
        var folder = TestPaths.NewTempFolder();
        Guid owner, conversation, answer;
        using (var db = new TempDatabase(Path.Combine(folder, "studio.db")))
        {
            // The state a SIGKILL mid-answer leaves: the answer saved so far, still marked in progress.
            owner = Guid.NewGuid();
            conversation = db.Conversations.Create(owner).Id;
            db.Conversations.Append(owner, conversation, new MessageRecord { Role = ChatRole.User, Text = "Tell me a story" });
            answer = db.Conversations.Append(owner, conversation, new MessageRecord
            {
                Role = ChatRole.Assistant, Text = "Once upon a time", InProgress = true,
            }).Id;
            db.Conversations.Append(owner, conversation, new MessageRecord { Role = ChatRole.User, Text = "finished turn" });
        }

        await using var factory = new StudioFactory(folder, null);
        await factory.WaitForEngineAsync();

        var messages = factory.Get<ConversationStore>().Messages(owner, conversation);
        var interrupted = messages.Single(m => m.Id == answer);
        Assert.True(interrupted.Interrupted);
        Assert.False(interrupted.InProgress);
        Assert.Equal("Once upon a time", interrupted.Text);
        Assert.All(messages.Where(m => m.Id != answer), m => Assert.False(m.Interrupted));
    }
}
