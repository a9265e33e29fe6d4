using QwenVlStudio.Tests.Shared;
using Bunit;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class ChatPageFacts
{
    private static async Task SendAsync(IRenderedComponent<ChatPage> cut, string text)
    {
        cut.Find("[data-testid=chat-input]").Input(text);
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());
    }

    /// <summary>The answer is finished, stored, and the page has let go of it (Regenerate is offered).</summary>
    private static void WaitUntilAnswered(IRenderedComponent<ChatPage> cut) =>
        cut.WaitForElement("[data-testid=chat-regenerate]", TimeSpan.FromSeconds(10));

    private static string AnswerText(IRenderedComponent<ChatPage> cut) =>
        cut.FindAll("[data-testid=chat-message-assistant] [data-testid=chat-message-text]").Last().TextContent;

    [Fact]
    public async Task JsonToggle_ConstrainsTheAnswerToAJsonObject_OnlyWhileOn()
    {
        await using var ctx = new StudioBunitContext();
        ctx.Harness.Behavior.Tokens = 2;
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<ChatPage>();

        cut.Find("input[data-testid=chat-json], [data-testid=chat-json] input").Change(true);
        await SendAsync(cut, "Describe the picture as JSON");
        WaitUntilAnswered(cut);
        cut.Find("input[data-testid=chat-json], [data-testid=chat-json] input").Change(false);
        await SendAsync(cut, "And in words?");
        WaitUntilAnswered(cut);

        var options = ctx.Harness.Factory.Latest!.Options;
        Assert.Equal(2, options.Count);
        Assert.Same(QwenVlStudio.Inference.Constrained.JsonConstraint.AnyObject, options[0].Constraint);
        Assert.Null(options[1].Constraint);
    }

    [Fact]
    public async Task Send_StreamsAnswerTokenByToken_AndStoresIt()
    {
        await using var ctx = new StudioBunitContext();
        ctx.Harness.Behavior.Tokens = 30;
        ctx.Harness.Behavior.Pause = new TaskCompletionSource();
        ctx.Harness.Behavior.PauseAfterTokens = 3;
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<ChatPage>();

        await SendAsync(cut, "Describe the picture");

        // The engine holds after 3 tokens: the page already shows them, before the rest exists.
        cut.WaitForAssertion(() => Assert.Equal("Fake answer: word1 word2 word3", AnswerText(cut).Trim()), TimeSpan.FromSeconds(5));
        Assert.Equal("Generating", cut.Find("[data-testid=chat-message-assistant]").GetAttribute("data-phase"));
        ctx.Harness.Behavior.Pause.SetResult();
        cut.WaitForAssertion(() => Assert.Contains("word30", AnswerText(cut)), TimeSpan.FromSeconds(10));
        WaitUntilAnswered(cut);

        var conversation = Assert.Single(ctx.Db.Conversations.List(ctx.UserId));
        Assert.Equal("Describe the picture", conversation.Title);
        var stored = ctx.Db.Conversations.Messages(ctx.UserId, conversation.Id);
        Assert.Equal(2, stored.Count);
        Assert.EndsWith("word30 ", stored[1].Text);
        Assert.Equal(FinishReason.Length, stored[1].FinishReason);
        Assert.Equal(30, stored[1].Stats!.GeneratedTokens);
    }

    [Fact]
    public async Task Stop_EndsGenerationAtOnce_AndKeepsThePartialAnswer()
    {
        await using var ctx = new StudioBunitContext();
        ctx.Harness.Behavior.TokenDelay = TimeSpan.FromMilliseconds(20);
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<ChatPage>();

        await SendAsync(cut, "Tell me a long story");
        cut.WaitForAssertion(() => Assert.Contains("word2 ", AnswerText(cut)), TimeSpan.FromSeconds(5));
        await cut.Find("[data-testid=chat-stop]").ClickAsync(new());

        cut.WaitForElement("[data-testid=chat-message-stopped]", TimeSpan.FromSeconds(5));
        // The slot is freed when the engine's current step ends, a moment after the answer's last event.
        await Poll.UntilAsync(() => ctx.Harness.Engine.Load.Running == 0, what: "the slot freed");
        WaitUntilAnswered(cut);
        var conversation = Assert.Single(ctx.Db.Conversations.List(ctx.UserId));
        var answer = ctx.Db.Conversations.Messages(ctx.UserId, conversation.Id)[1];
        Assert.Equal(FinishReason.Cancelled, answer.FinishReason);
        Assert.StartsWith("Fake answer: word1", answer.Text);
        Assert.DoesNotContain("word400", answer.Text);
    }

    [Fact]
    public async Task Send_ShowsQueuePosition_WhileAnotherSequenceHoldsTheSlot()
    {
        await using var ctx = new StudioBunitContext();
        await ctx.Harness.LoadAsync();
        var slot = ctx.Harness.Start("hold the only slot");
        Assert.True(await slot.StartedAsync());
        var cut = ctx.Render<ChatPage>();

        await SendAsync(cut, "Am I queued?");

        cut.WaitForAssertion(() => Assert.Equal("Waiting in queue: position 1", cut.Find("[data-testid=chat-queue-position]").TextContent.Trim()));
        await slot.DisposeAsync(); // leaving the enumeration ends the sequence and frees its slot
        cut.WaitForAssertion(() => Assert.Contains("word8", AnswerText(cut)), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=chat-queue-position]"));
    }

    [Fact]
    public async Task Send_ShowsBusyError_WhenTheQueueIsFull()
    {
        await using var ctx = new StudioBunitContext(new GovernorSettings { MaxConcurrentSequences = 1, MaxQueueLength = 1, VisionThreads = 1, DecoderThreads = 1 });
        await ctx.Harness.LoadAsync();
        await using var running = ctx.Harness.Start("hold the only slot");
        Assert.True(await running.StartedAsync());
        await using var queued = ctx.Harness.Start("fill the queue");
        Assert.True(await queued.ReadUntilAsync(u => u is QueuedUpdate));
        var cut = ctx.Render<ChatPage>();

        await SendAsync(cut, "Hello?");

        cut.WaitForAssertion(() => Assert.Contains("busy", cut.Find("[data-testid=chat-message-error]").TextContent));
        WaitUntilAnswered(cut);
    }

    [Fact]
    public async Task Page_ShowsLoadingBannerAndDisablesInput_UntilTheModelIsReady()
    {
        await using var ctx = new StudioBunitContext();
        var cut = ctx.Render<ChatPage>();

        Assert.Equal("Loading", cut.Find("[data-testid=engine-banner]").GetAttribute("data-state"));
        Assert.True(cut.Find("[data-testid=chat-input]").HasAttribute("disabled"));

        await ctx.Harness.LoadAsync();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=engine-banner]")));
        Assert.False(cut.Find("[data-testid=chat-input]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task FollowUp_SendsEarlierTurnsToTheEngine()
    {
        await using var ctx = new StudioBunitContext();
        ctx.Harness.Behavior.Tokens = 2;
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<ChatPage>();

        await SendAsync(cut, "First question");
        WaitUntilAnswered(cut);
        await SendAsync(cut, "Second question");
        cut.WaitForAssertion(() => Assert.Equal(2, ctx.Harness.Factory.Latest!.Requests.Count), TimeSpan.FromSeconds(15));

        var seen = ctx.Harness.Factory.Latest!.Requests[1];
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], seen.Select(m => m.Role));
        Assert.Equal("Fake answer: word1 word2 ", ((TextContent)seen[1].Content[0]).Text);
        // Both turns count against the signed-in user's share of the KV prefix cache, at interactive priority.
        var owner = ctx.UserId.ToString("N");
        Assert.All(ctx.Harness.Factory.Latest!.Contexts, c => Assert.Equal(new RequestContext(RequestPriority.Interactive, owner), c));
        Assert.Equal(2, ctx.Harness.Factory.Latest!.Contexts.Count);
    }
}
