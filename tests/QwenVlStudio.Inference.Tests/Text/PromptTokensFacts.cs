using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class PromptTokensFacts
{
    private static QwenTokenizer Tokenizer => TinyTokenizer.Instance;

    private static ImageContent AnImage() => ImageContent.FromBytes([1, 2, 3], "x.png");

    public static TheoryData<string> GoldenCases => [.. TestPaths.GoldenCaseNames];

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Build_EqualsGoldenInputIds_ForEveryGoldenCase(string caseName)
    {
        var golden = GoldenConversation.Load(caseName);

        var ids = PromptTokens.Build(Tokenizer, golden.Messages, golden.ImageTokenCounts);

        Assert.Equal(golden.InputIds, ids.Select(i => (long)i));
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Build_FromPromptText_EqualsGoldenInputIds(string caseName)
    {
        var golden = GoldenConversation.Load(caseName);

        Assert.Equal(golden.InputIds, PromptTokens.Build(Tokenizer, golden.PromptText, golden.ImageTokenCounts).Select(i => (long)i));
    }

    [Fact]
    public void Build_ExpandsEachImageToItsOwnCount_InOrder()
    {
        var ids = PromptTokens.Build(Tokenizer, [ChatMessage.User("Hi", AnImage(), AnImage())], [3, 5]);

        int pad = Tokenizer.ImagePad;
        int[] expectedStart = [Tokenizer.ImStart, .. Tokenizer.Encode("user\n"), Tokenizer.VisionStart, pad, pad, pad, Tokenizer.VisionEnd,
            Tokenizer.VisionStart, pad, pad, pad, pad, pad, Tokenizer.VisionEnd];
        Assert.Equal(expectedStart, ids[..expectedStart.Length]);
        Assert.Equal(8, ids.Count(id => id == pad));
    }

    [Fact]
    public void Build_EqualsEncode_ForATextOnlyConversation()
    {
        var messages = new[] { ChatMessage.System("S"), ChatMessage.User("Q"), ChatMessage.Assistant("A"), ChatMessage.User("Q2") };

        Assert.Equal(Tokenizer.Encode(ChatTemplate.Render(messages)), PromptTokens.Build(Tokenizer, messages, []));
    }

    [Fact]
    public void Build_Throws_WhenTheImageCountDiffers()
    {
        var error = Assert.Throws<InvalidPromptException>(() => PromptTokens.Build(Tokenizer, [ChatMessage.User("Hi", AnImage())], [4, 4]));

        Assert.Contains("1 image", error.Message);
    }

    [Fact]
    public void Build_Throws_WhenUserTextContainsAnImagePlaceholder()
    {
        // Typed <|image_pad|> would otherwise shift every image's features.
        var messages = new[] { ChatMessage.User("fake <|image_pad|>", AnImage()) };

        Assert.Throws<InvalidPromptException>(() => PromptTokens.Build(Tokenizer, messages, [4]));
    }

    [Fact]
    public void Build_Throws_WhenThePromptContainsAVideoPlaceholder()
    {
        Assert.Throws<InvalidPromptException>(() => PromptTokens.Build(Tokenizer, [ChatMessage.User("<|video_pad|>")], []));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Build_Throws_WhenAnImageHasNoTokens(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptTokens.Build(Tokenizer, [ChatMessage.User("Hi", AnImage())], [count]));
    }
}
