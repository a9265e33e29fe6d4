using Bunit;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class MessageViewFacts
{
    [Fact]
    public async Task Assistant_RendersMarkdownAndTimings_WhenStored()
    {
        await using var ctx = new StudioBunitContext();
        var record = new MessageRecord
        {
            Role = ChatRole.Assistant,
            Text = "It is a **cat**.",
            FinishReason = FinishReason.Stop,
            Stats = new GenerationStats { PromptTokens = 40, ImageCount = 1, GeneratedTokens = 11, VisionMs = 120, TimeToFirstTokenMs = 300, DecodeMs = 500 },
        };

        var cut = ctx.Render<MessageView>(p => p.Add(c => c.Record, record));

        Assert.Contains("<strong>cat</strong>", cut.Find("[data-testid=chat-message-text]").InnerHtml);
        var stats = cut.Find("[data-testid=chat-message-stats]").TextContent;
        Assert.Contains("vision 120 ms", stats);
        Assert.Contains("first token 300 ms", stats);
        Assert.Contains("20.0 tokens/s", stats);
        Assert.Contains("40 prompt + 11 generated tokens", stats);
    }

    [Fact]
    public async Task Assistant_ShowsAJsonAnswerIndented_AndOtherTextAsMarkdown()
    {
        await using var ctx = new StudioBunitContext();
        var json = ctx.Render<MessageView>(p => p.Add(c => c.Record,
            new MessageRecord { Role = ChatRole.Assistant, Text = """{"label":"cat","bbox_2d":[1,2,3,4]}""", FinishReason = FinishReason.Stop }));
        var text = ctx.Render<MessageView>(p => p.Add(c => c.Record,
            new MessageRecord { Role = ChatRole.Assistant, Text = "{not json} but **text**", FinishReason = FinishReason.Stop }));

        var shown = json.Find("[data-testid=chat-message-text]");
        Assert.Equal("json", shown.GetAttribute("data-format"));
        Assert.Contains("\n  \"label\": \"cat\"", shown.TextContent.Replace("\r", ""));
        Assert.Null(text.Find("[data-testid=chat-message-text]").GetAttribute("data-format"));
        Assert.Contains("<strong>text</strong>", text.Find("[data-testid=chat-message-text]").InnerHtml);
    }

    [Fact]
    public async Task Assistant_ShowsQueuePosition_WhileWaiting()
    {
        await using var ctx = new StudioBunitContext();
        var live = new LiveReply(Guid.NewGuid());
        live.Queued(3);

        var cut = ctx.Render<MessageView>(p => p
            .Add(c => c.Record, new MessageRecord { Id = live.MessageId, Role = ChatRole.Assistant })
            .Add(c => c.Live, live));

        Assert.Equal("Waiting in queue: position 3", cut.Find("[data-testid=chat-queue-position]").TextContent.Trim());
        live.Started();
        cut.Render();
        Assert.Empty(cut.FindAll("[data-testid=chat-queue-position]"));
        Assert.Equal("Generating", cut.Find("[data-testid=chat-message-assistant]").GetAttribute("data-phase"));
    }

    [Fact]
    public async Task Assistant_ShowsStoppedAndError_FromTheRecord()
    {
        await using var ctx = new StudioBunitContext();
        var stopped = ctx.Render<MessageView>(p => p.Add(c => c.Record, new MessageRecord { Role = ChatRole.Assistant, Text = "partial", FinishReason = FinishReason.Cancelled }));
        var failed = ctx.Render<MessageView>(p => p.Add(c => c.Record, new MessageRecord { Role = ChatRole.Assistant, Error = "The server is busy" }));

        Assert.NotEmpty(stopped.FindAll("[data-testid=chat-message-stopped]"));
        Assert.Contains("The server is busy", failed.Find("[data-testid=chat-message-error]").TextContent);
    }

    [Fact]
    public async Task User_ShowsTextAndImages()
    {
        await using var ctx = new StudioBunitContext();
        var cut = ctx.Render<MessageView>(p => p.Add(c => c.Record,
            new MessageRecord { Role = ChatRole.User, Text = "<b>not bold</b>", ImageIds = ["0123456789abcdef0123456789abcdef"] }));

        Assert.Equal("<b>not bold</b>", cut.Find("[data-testid=chat-message-user] .msg-text").TextContent);
        Assert.Equal("images/0123456789abcdef0123456789abcdef", cut.Find("[data-testid=chat-message-image]").GetAttribute("src"));
    }
}
