using Bunit;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class ConversationListFacts
{
    private static readonly ConversationRecord Cats = new() { Id = Guid.NewGuid(), Title = "Cats" };
    private static readonly ConversationRecord Dogs = new() { Id = Guid.NewGuid(), Title = "Dogs" };

    [Fact]
    public async Task List_ShowsEachConversation_AndMarksTheActiveOne()
    {
        await using var ctx = new StudioBunitContext();
        var cut = ctx.Render<ConversationList>(p => p.Add(c => c.Conversations, [Cats, Dogs]).Add(c => c.ActiveId, Dogs.Id));

        var items = cut.FindAll("[data-testid=conversation-item]");
        Assert.Equal(["Cats", "Dogs"], items.Select(i => i.QuerySelector("a")!.TextContent));
        Assert.Equal($"chat/{Cats.Id}", items[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("active", items[1].ClassName);
    }

    [Fact]
    public async Task Rename_HandsNewTitleToThePage_OnEnter()
    {
        await using var ctx = new StudioBunitContext();
        (Guid, string)? renamed = null;
        var cut = ctx.Render<ConversationList>(p => p.Add(c => c.Conversations, [Cats]).Add(c => c.OnRename, r => renamed = r));

        await cut.Find("[data-testid=conversation-rename]").ClickAsync(new());
        cut.Find("[data-testid=conversation-rename-input]").Input("Kittens");
        await cut.Find("[data-testid=conversation-rename-input]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal((Cats.Id, "Kittens"), renamed);
    }

    [Fact]
    public async Task Delete_AsksForConfirmation_BeforeCallingThePage()
    {
        await using var ctx = new StudioBunitContext();
        var deleted = new List<Guid>();
        var cut = ctx.Render<ConversationList>(p => p.Add(c => c.Conversations, [Cats]).Add(c => c.OnDelete, id => deleted.Add(id)));

        await cut.Find("[data-testid=conversation-delete]").ClickAsync(new());
        Assert.Empty(deleted);
        await cut.Find("[data-testid=conversation-delete-confirm]").ClickAsync(new());
        Assert.Equal([Cats.Id], deleted);
    }
}
