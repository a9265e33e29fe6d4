using Bunit;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

/// <summary>Issue 14, chat: the prefill state, the long-input limit and the scroll hooks the page calls.</summary>
public sealed class ChatScrollAndLimitFacts
{
    [Fact]
    public async Task Assistant_SaysReadingYourPrompt_UntilTheFirstToken()
    {
        await using var ctx = new StudioBunitContext();
        var live = new LiveReply(Guid.NewGuid());
        var cut = ctx.Render<MessageView>(p => p
            .Add(c => c.Record, new MessageRecord { Id = live.MessageId, Role = ChatRole.Assistant })
            .Add(c => c.Live, live));
        Assert.Empty(cut.FindAll("[data-testid=chat-reading-prompt]")); // still queued

        live.Started();
        cut.Render();
        Assert.Equal("Reading your prompt…", cut.Find("[data-testid=chat-reading-prompt]").TextContent.Trim());

        live.Add(new GenerationEvent(1, "Hello", new GenerationStats()));
        cut.Render();
        Assert.Empty(cut.FindAll("[data-testid=chat-reading-prompt]"));
    }

    [Fact]
    public void PromptLimit_FollowsTheContext_AndExplainsARefusal()
    {
        Assert.Equal(4096 * PromptLimit.CharactersPerToken, PromptLimit.MaxCharacters(4096));
        Assert.Equal(PromptLimit.DefaultContextTokens * PromptLimit.CharactersPerToken, PromptLimit.MaxCharacters(null));
        Assert.Equal(PromptLimit.MaxCharactersCap, PromptLimit.MaxCharacters(int.MaxValue));
        Assert.Null(PromptLimit.Check(new string('a', 100), 100));
        Assert.Contains("101 characters", PromptLimit.Check(new string('a', 101), 100));
        // The circuit must carry the longest allowed text even at three UTF-8 bytes a character.
        Assert.True(PromptLimit.MaxCircuitMessageBytes > 3L * (PromptLimit.MaxCharactersCap + 1));
    }

    [Fact]
    public async Task Composer_RefusesTextOverTheLimit_BeforeSending()
    {
        await using var ctx = new StudioBunitContext();
        var sent = new List<ComposerSubmission>();
        var cut = ctx.Render<Composer>(p => p
            .Add(c => c.OwnerId, ctx.UserId)
            .Add(c => c.MaxCharacters, 50)
            .Add(c => c.Submit, s => { sent.Add(s); return Task.FromResult(true); }));
        Assert.Equal("51", cut.Find("[data-testid=chat-input]").GetAttribute("maxlength"));

        cut.Find("[data-testid=chat-input]").Input(new string('x', 51));
        Assert.Contains("51 characters", cut.Find("[data-testid=chat-too-long]").TextContent);
        Assert.True(cut.Find("[data-testid=chat-send]").HasAttribute("disabled"));

        cut.Find("[data-testid=chat-input]").Input(new string('x', 50));
        Assert.Empty(cut.FindAll("[data-testid=chat-too-long]"));
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());
        Assert.Equal(50, Assert.Single(sent).Text.Length);
    }

    [Fact]
    public async Task ChatPage_StartsFollowing_AndOpensAConversationAtItsEnd()
    {
        await using var ctx = new StudioBunitContext();
        var conversation = ctx.Db.Conversations.Create(ctx.UserId, "Old chat");
        ctx.Db.Conversations.Append(ctx.UserId, conversation.Id, new MessageRecord { Role = ChatRole.User, Text = "hi" });

        ctx.Render<ChatPage>(p => p.Add(c => c.ConversationId, conversation.Id));

        Assert.Single(ctx.JSInterop.Invocations, i => i.Identifier == "qwenvlChat.follow");
        Assert.Contains(ctx.JSInterop.Invocations, i => i.Identifier == "qwenvlChat.toEnd");
    }
}
