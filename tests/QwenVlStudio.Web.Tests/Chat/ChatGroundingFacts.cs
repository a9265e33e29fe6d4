using System.Net;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Web.Uploads;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Web.Tests.Chat;

/// <summary>The chat's "find objects" answers: their boxes drawn on the question's image, for the owner only.</summary>
public sealed class ChatGroundingFacts(StudioFactory factory) : IClassFixture<StudioFactory>
{
    private const string Boxes = """{"objects": [{"label": "left half", "bbox_2d": [0, 0, 500, 1000]}]}""";

    [Fact]
    public async Task BoxesUrl_DrawsTheAnswersBoxesOnTheQuestionsImage_ForTheOwnerOnly()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var alice = factory.CreateUser("alice" + suffix);
        var bob = factory.CreateUser("bob" + suffix);
        var png = TestImages.Png(64, 48);
        var image = factory.Get<ImageStore>().Save(alice.Id, png, ImageUploadValidator.Check(png, 1 << 20, 1 << 20).Info!);
        var (conversation, _) = factory.Get<ChatTurns>().Post(alice.Id, null, "Find the objects.", [image.Id]);
        var answer = factory.Get<ConversationStore>().Append(alice.Id, conversation.Id, new MessageRecord { Role = ChatRole.Assistant, Text = Boxes });
        using var aliceClient = await SignedInClient.CreateAsync(factory, alice.UserName, "user-password-1");
        using var bobClient = await SignedInClient.CreateAsync(factory, bob.UserName, "user-password-1");
        var url = $"/chat/{conversation.Id}/messages/{answer.Id}/boxes";

        var own = await aliceClient.GetAsync(url);
        var foreign = await bobClient.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType!.MediaType);
        using var drawn = Image.Load<Rgba32>(await own.Content.ReadAsByteArrayAsync());
        using var original = Image.Load<Rgba32>(png);
        Assert.Equal((64, 48), (drawn.Width, drawn.Height));
        Assert.NotEqual(original[0, 30], drawn[0, 30]); // the box's left edge (x 0 … 32 of 64)
        Assert.Equal(original[60, 30], drawn[60, 30]); // the right half is outside the box
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Theory]
    [InlineData(Boxes, true)]
    [InlineData("""{"objects": []}""", false)]
    [InlineData("A cat on a sofa.", false)]
    [InlineData("""{"objects": [{"label": "cut off", "bbox_2d": [0, 0""", false)]
    public void HasBoxes_IsTrueOnlyForAnAnswerWithBoxes(string answer, bool expected) =>
        Assert.Equal(expected, ChatGrounding.HasBoxes(answer));

    [Fact]
    public void Draw_IsNull_WhenTheQuestionHasNoImage()
    {
        var question = new MessageRecord { Index = 0, Role = ChatRole.User, Text = "Find the objects." };
        var answer = new MessageRecord { Index = 1, Role = ChatRole.Assistant, Text = Boxes };

        Assert.Null(ChatGrounding.Draw([question, answer], answer, _ => throw new InvalidOperationException("no image to read")));
    }
}
