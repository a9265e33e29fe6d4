using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Tests.Data;

public sealed class ConversationStoreFacts
{
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    [Fact]
    public void Messages_KeepWritingOrder_AcrossTurns()
    {
        using var db = new TempDatabase();
        var conversation = db.Conversations.Create(Alice);
        foreach (var (role, text) in new[] { (ChatRole.User, "q1"), (ChatRole.Assistant, "a1"), (ChatRole.User, "q2"), (ChatRole.Assistant, "a2") })
            db.Conversations.Append(Alice, conversation.Id, new MessageRecord { Role = role, Text = text });

        Assert.Equal(["q1", "a1", "q2", "a2"], db.Conversations.Messages(Alice, conversation.Id).Select(m => m.Text));
    }

    [Fact]
    public void History_SurvivesReopeningTheFile()
    {
        var path = System.IO.Path.Combine(TestPaths.NewTempFolder(), "studio.db");
        Guid id;
        using (var db = new TempDatabase(path))
        {
            id = db.Conversations.Create(Alice, "Cats").Id;
            db.Conversations.Append(Alice, id, new MessageRecord { Role = ChatRole.User, Text = "Is it a cat?" });
            db.Conversations.Append(Alice, id, new MessageRecord
            {
                Role = ChatRole.Assistant,
                Text = "Yes.",
                FinishReason = FinishReason.Stop,
                Stats = new GenerationStats { PromptTokens = 12, GeneratedTokens = 2, VisionMs = 4.5 },
            });
        }

        using var reopened = new TempDatabase(path);
        var messages = reopened.Conversations.Messages(Alice, id);
        Assert.Equal("Cats", reopened.Conversations.Find(Alice, id)!.Title);
        Assert.Equal(["Is it a cat?", "Yes."], messages.Select(m => m.Text));
        Assert.Equal(12, messages[1].Stats!.PromptTokens);
        Assert.Equal(4.5, messages[1].Stats!.VisionMs);
        Assert.Equal(FinishReason.Stop, messages[1].FinishReason);
    }

    [Fact]
    public void Messages_KeepTextExactly_IncludingEdgeWhitespaceAndEmptyText()
    {
        using var db = new TempDatabase();
        var conversation = db.Conversations.Create(Alice);
        db.Conversations.Append(Alice, conversation.Id, new MessageRecord { Role = ChatRole.Assistant, Text = " padded answer \n" });
        db.Conversations.Append(Alice, conversation.Id, new MessageRecord { Role = ChatRole.Assistant, Text = "" });

        var stored = db.Conversations.Messages(Alice, conversation.Id);
        Assert.Equal(" padded answer \n", stored[0].Text);
        Assert.Equal("", stored[1].Text);
    }

    [Fact]
    public void Rename_Throws_WhenTitleIsBlank()
    {
        using var db = new TempDatabase();
        var conversation = db.Conversations.Create(Alice);
        Assert.Throws<ArgumentException>(() => db.Conversations.Rename(Alice, conversation.Id, "   "));
        Assert.True(db.Conversations.Rename(Alice, conversation.Id, "  Holiday photos "));
        Assert.Equal("Holiday photos", db.Conversations.Find(Alice, conversation.Id)!.Title);
    }

    [Fact]
    public void Delete_RemovesMessagesAndImages_OfThatConversationOnly()
    {
        using var db = new TempDatabase();
        var png = TestImages.Png();
        var info = ImageUploadValidator.Check(png, 1 << 20, 1 << 20).Info!;
        var image = db.Images.Save(Alice, png, info);
        var kept = db.Conversations.Create(Alice);
        var deleted = db.Conversations.Create(Alice);
        db.Conversations.Append(Alice, deleted.Id, new MessageRecord { Role = ChatRole.User, Text = "x", ImageIds = [image.Id] });
        db.Conversations.Append(Alice, kept.Id, new MessageRecord { Role = ChatRole.User, Text = "y" });

        Assert.True(db.Conversations.Delete(Alice, deleted.Id, db.Images));

        Assert.Null(db.Conversations.Find(Alice, deleted.Id));
        Assert.Null(db.Images.ReadBytes(Alice, image.Id));
        Assert.Single(db.Conversations.Messages(Alice, kept.Id));
    }

    [Fact]
    public void Update_RefusesMessage_WhenOwnedBySomeoneElse()
    {
        using var db = new TempDatabase();
        var conversation = db.Conversations.Create(Alice);
        var message = db.Conversations.Append(Alice, conversation.Id, new MessageRecord { Role = ChatRole.User, Text = "mine" });
        message.Text = "changed";
        Assert.False(db.Conversations.Update(Bob, message));
        Assert.False(db.Conversations.DeleteMessage(Bob, message.Id));
        Assert.Equal("mine", db.Conversations.Messages(Alice, conversation.Id)[0].Text);
    }

    [Fact]
    public void ImageStore_UsesServerGeneratedIds_AndRejectsMalformedOnes()
    {
        using var db = new TempDatabase();
        var png = TestImages.Png();
        var image = db.Images.Save(Alice, png, ImageUploadValidator.Check(png, 1 << 20, 1 << 20).Info!);
        Assert.Matches("^[0-9a-f]{32}$", image.Id);
        Assert.Null(db.Images.Find(Alice, "../../etc/passwd"));
        Assert.Equal(png, db.Images.ReadBytes(Alice, image.Id));
    }
}
