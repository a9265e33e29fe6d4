using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Chat;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Tests.Chat;

public sealed class ChatHistoryBuilderFacts
{
    [Fact]
    public void Build_KeepsEarlierImagesAndAnswers_ForAFollowUp()
    {
        var image = new byte[] { 1, 2, 3 };
        var history = new[]
        {
            new MessageRecord { Role = ChatRole.User, Text = "What is this?", ImageIds = ["img1"] },
            new MessageRecord { Role = ChatRole.Assistant, Text = "A cat." },
            new MessageRecord { Role = ChatRole.User, Text = "What colour is it?" },
        };

        var messages = ChatHistoryBuilder.Build(history, id => id == "img1" ? image : null);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], messages.Select(m => m.Role));
        var first = messages[0];
        Assert.IsType<ImageContent>(first.Content[0]);
        Assert.Equal(image, ((ImageContent)first.Content[0]).Encoded);
        Assert.Equal("What is this?", ((TextContent)first.Content[1]).Text);
        Assert.Equal("A cat.", ((TextContent)messages[1].Content[0]).Text);
    }

    [Fact]
    public void Build_SkipsAnswersWithoutText_WhenTheyFailed()
    {
        var history = new[]
        {
            new MessageRecord { Role = ChatRole.User, Text = "Hi" },
            new MessageRecord { Role = ChatRole.Assistant, Text = "", Error = "busy" },
            new MessageRecord { Role = ChatRole.User, Text = "Hi again" },
        };
        Assert.Equal(2, ChatHistoryBuilder.Build(history, _ => null).Count);
    }

    [Fact]
    public void Build_Throws_WhenAnImageIsMissing()
    {
        var history = new[] { new MessageRecord { Role = ChatRole.User, Text = "x", ImageIds = ["gone"] } };
        Assert.Throws<InvalidOperationException>(() => ChatHistoryBuilder.Build(history, _ => null));
    }
}
