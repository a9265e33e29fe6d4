using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class ChatTemplateFacts
{
    private const string Image = "<|vision_start|><|image_pad|><|vision_end|>";

    private static ImageContent AnImage() => ImageContent.FromBytes([1, 2, 3], "x.png");

    public static TheoryData<string> GoldenCases => [.. TestPaths.GoldenCaseNames];

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Render_EqualsHuggingFacePrompt_ForEveryGoldenCase(string caseName)
    {
        var golden = GoldenConversation.Load(caseName);

        Assert.Equal(golden.PromptText, ChatTemplate.Render(golden.Messages));
    }

    [Fact]
    public void RenderPieces_MarksOnlyTheTemplatesOwnTokensAsControl()
    {
        var pieces = ChatTemplate.RenderPieces([ChatMessage.User("<|im_end|>", AnImage())]);

        Assert.Equal(ChatTemplate.Render([ChatMessage.User("<|im_end|>", AnImage())]), string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(["<|im_start|>", "<|vision_start|>", "<|image_pad|>", "<|vision_end|>", "<|im_end|>", "<|im_start|>"],
            pieces.Where(p => p.IsControlToken).Select(p => p.Text));
        Assert.Contains(PromptPiece.Plain("<|im_end|>"), pieces);
    }

    [Fact]
    public void GoldenCases_AreAllFound()
    {
        Assert.Equal(6, TestPaths.GoldenCaseNames.Count());
    }

    [Fact]
    public void Render_StartsWithTheSystemTurn_WhenTheFirstMessageIsSystem()
    {
        var prompt = ChatTemplate.Render([ChatMessage.System("Be brief."), ChatMessage.User("Hi")]);

        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void Render_AddsNoDefaultSystemPrompt()
    {
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render([ChatMessage.User("Hi")]));
    }

    [Fact]
    public void Render_JoinsPartsWithoutSeparators_InTheirOrder()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("Compare "), AnImage(), new TextContent(" and "), AnImage(), new TextContent("?")]);

        Assert.Equal($"<|im_start|>user\nCompare {Image} and {Image}?<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render([message]));
    }

    [Fact]
    public void Render_KeepsAnEmptyUserTurn()
    {
        Assert.Equal("<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render([ChatMessage.User("")]));
        Assert.Equal($"<|im_start|>user\n{Image}<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render([ChatMessage.User("", AnImage())]));
    }

    [Fact]
    public void Render_KeepsAssistantHistoryVerbatim_IncludingThinkTags()
    {
        var prompt = ChatTemplate.Render(
        [
            ChatMessage.System("S"),
            ChatMessage.User("Q1"),
            ChatMessage.Assistant("<think>\nhm\n</think>\n\nA1"),
            ChatMessage.User("Q2"),
        ]);

        Assert.Equal(
            "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ1<|im_end|>\n" +
            "<|im_start|>assistant\n<think>\nhm\n</think>\n\nA1<|im_end|>\n<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void Render_OmitsTheGenerationPrompt_WhenNotAsked()
    {
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n", ChatTemplate.Render([ChatMessage.User("Hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Render_KeepsUnicodeVerbatim()
    {
        const string text = "日本語 👨‍👩‍👧 𝐀𝐁𝐂 é\u0301";

        Assert.Equal($"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render([ChatMessage.User(text)]));
    }

    [Fact]
    public void Render_JoinsSeveralTextPartsOfASystemMessage()
    {
        var system = new ChatMessage(ChatRole.System, [new TextContent("a"), new TextContent("b")]);

        Assert.StartsWith("<|im_start|>system\nab<|im_end|>\n", ChatTemplate.Render([system, ChatMessage.User("x")]));
    }

    [Fact]
    public void Render_Throws_WhenTheConversationIsEmpty()
    {
        Assert.Throws<InvalidPromptException>(() => ChatTemplate.Render([]));
    }

    [Fact]
    public void Render_Throws_WhenASystemMessageIsNotFirst()
    {
        // The template would silently drop it.
        var error = Assert.Throws<InvalidPromptException>(() => ChatTemplate.Render([ChatMessage.User("x"), ChatMessage.System("late")]));

        Assert.Contains("system", error.Message);
    }

    [Theory]
    [InlineData(ChatRole.System)]
    [InlineData(ChatRole.Assistant)]
    public void Render_Throws_WhenANonUserMessageHasAnImage(ChatRole role)
    {
        var message = new ChatMessage(role, [new TextContent("look"), AnImage()]);

        Assert.Throws<InvalidPromptException>(() => ChatTemplate.Render([message, ChatMessage.User("x")]));
    }

    [Fact]
    public void Render_Throws_WhenATextPartIsNull()
    {
        Assert.Throws<InvalidPromptException>(() => ChatTemplate.Render([new ChatMessage(ChatRole.User, [new TextContent(null!)])]));
    }

    // Code points, not strings: xUnit passes theory strings through UTF-8, which turns a lone surrogate into U+FFFD.
    [Theory]
    [InlineData("a{0}b", 0xFFFE)]
    [InlineData("{0}", 0xFFFF)]
    [InlineData("x{0}", 0xD800)]
    [InlineData("{0}y", 0xDC00)]
    public void Render_Throws_WhenTextIsNotValidUnicode(string format, int badChar)
    {
        string text = string.Format(format, (char)badChar);

        var error = Assert.Throws<InvalidPromptException>(() => ChatTemplate.Render([ChatMessage.User(text)]));

        Assert.Contains($"U+{badChar:X4}", error.Message);
    }

    [Fact]
    public void Render_AcceptsSurrogatePairs()
    {
        Assert.Contains("😀", ChatTemplate.Render([ChatMessage.User("😀")]));
    }
}
