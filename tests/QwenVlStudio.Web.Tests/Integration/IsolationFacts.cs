using System.Net;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>User B must not reach user A's conversations or images, by URL or id.</summary>
public sealed class IsolationFacts : IClassFixture<StudioFactory>
{
    private readonly StudioFactory _factory;

    public IsolationFacts(StudioFactory factory) => _factory = factory;

    private (UserRecord A, UserRecord B, ConversationRecord Conversation, ImageRecord Image) Seed()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var a = _factory.CreateUser("alice" + suffix);
        var b = _factory.CreateUser("bob" + suffix);
        var png = TestImages.Png();
        var image = _factory.Get<ImageStore>().Save(a.Id, png, ImageUploadValidator.Check(png, 1 << 20, 1 << 20).Info!);
        var (conversation, _) = _factory.Get<QwenVlStudio.Web.Chat.ChatTurns>().Post(a.Id, null, "What is in this picture?", [image.Id]);
        return (a, b, conversation, image);
    }

    [Fact]
    public async Task ConversationUrl_Answers404_WhenAnotherUserRequestsIt()
    {
        var (a, b, conversation, _) = Seed();
        using var bob = await SignedInClient.CreateAsync(_factory, b.UserName, "user-password-1");
        using var alice = await SignedInClient.CreateAsync(_factory, a.UserName, "user-password-1");

        var foreign = await bob.GetAsync($"/chat/{conversation.Id}");
        var own = await alice.GetAsync($"/chat/{conversation.Id}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("What is in this picture?", await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("What is in this picture?", await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ImageUrl_Answers404_WhenAnotherUserRequestsIt()
    {
        var (a, b, _, image) = Seed();
        using var bob = await SignedInClient.CreateAsync(_factory, b.UserName, "user-password-1");
        using var alice = await SignedInClient.CreateAsync(_factory, a.UserName, "user-password-1");

        var foreign = await bob.GetAsync($"/images/{image.Id}");
        var own = await alice.GetAsync($"/images/{image.Id}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TestImages.Png(), await own.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ImageUrl_RedirectsToLogin_WhenAnonymous()
    {
        var (_, _, _, image) = Seed();
        using var anonymous = SignedInClient.Anonymous(_factory);
        var response = await anonymous.GetAsync($"/images/{image.Id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public void Stores_HideForeignRecords_WhenAnotherOwnerAsks()
    {
        var (_, b, conversation, image) = Seed();
        var conversations = _factory.Get<ConversationStore>();

        Assert.Null(conversations.Find(b.Id, conversation.Id));
        Assert.Empty(conversations.Messages(b.Id, conversation.Id));
        Assert.False(conversations.Rename(b.Id, conversation.Id, "stolen"));
        Assert.False(conversations.Delete(b.Id, conversation.Id, _factory.Get<ImageStore>()));
        Assert.Null(_factory.Get<ImageStore>().ReadBytes(b.Id, image.Id));
        Assert.DoesNotContain(conversations.List(b.Id), c => c.Id == conversation.Id);
    }
}
