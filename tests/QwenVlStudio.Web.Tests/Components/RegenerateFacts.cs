using Bunit;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

/// <summary>Issue 14, group 4: Regenerate keeps earlier answers as variants and samples even under greedy defaults.</summary>
public sealed class RegenerateFacts
{
    [Fact]
    public async Task Regenerate_KeepsTheEarlierAnswers_AsVariants_AndSamplesWithAFreshSeed()
    {
        await using var ctx = new StudioBunitContext(new GovernorSettings { DoSample = false, Temperature = 0.9 });
        ctx.Harness.Behavior.Tokens = 3;
        await ctx.Harness.LoadAsync();
        var cut = ctx.Render<ChatPage>();

        cut.Find("[data-testid=chat-input]").Input("Describe it");
        await cut.Find("[data-testid=chat-send]").ClickAsync(new());
        cut.WaitForElement("[data-testid=chat-regenerate]", TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=chat-variants]"));

        for (var round = 0; round < 2; round++)
        {
            await cut.Find("[data-testid=chat-regenerate]").ClickAsync(new());
            cut.WaitForElement("[data-testid=chat-variants]", TimeSpan.FromSeconds(10));
            cut.WaitForElement("[data-testid=chat-regenerate]", TimeSpan.FromSeconds(10));
        }

        // One answer bubble with three answers, the newest shown; the earlier ones a click away.
        Assert.Single(cut.FindAll("[data-testid=chat-message-assistant]"));
        Assert.Equal("3/3", cut.Find("[data-testid=chat-variant-position]").TextContent);
        await cut.Find("[data-testid=chat-variant-previous] ").ClickAsync(new());
        Assert.Equal("2/3", cut.Find("[data-testid=chat-variant-position]").TextContent);
        await cut.Find("[data-testid=chat-variant-previous]").ClickAsync(new());
        Assert.Equal("1/3", cut.Find("[data-testid=chat-variant-position]").TextContent);
        Assert.Contains("word1", cut.Find("[data-testid=chat-message-text]").TextContent);
        Assert.True(cut.Find("[data-testid=chat-variant-previous]").HasAttribute("disabled"));

        // Stored: the variants survive a reload of the conversation.
        var conversation = Assert.Single(ctx.Db.Conversations.List(ctx.UserId));
        var answer = ctx.Db.Conversations.Messages(ctx.UserId, conversation.Id).Last();
        Assert.Equal(2, answer.Variants.Count);

        // The first answer followed the greedy defaults; each regeneration sampled at the settings' temperature.
        var options = ctx.Harness.Factory.Latest!.Options;
        Assert.Equal(3, options.Count);
        Assert.False(options[0].DoSample);
        Assert.All(options.Skip(1), o => Assert.True(o.DoSample));
        Assert.All(options.Skip(1), o => Assert.Equal(0.9f, o.Temperature));
        Assert.NotEqual(options[1].Seed, options[2].Seed);
        Assert.NotNull(options[1].Seed);
    }
}
