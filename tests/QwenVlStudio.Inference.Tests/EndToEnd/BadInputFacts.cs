using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Inference.Tests.EndToEnd;

/// <summary>Refused input gets a clear error before any compute, and the engine keeps answering afterwards.</summary>
public class BadInputFacts(TinyEngineFixture engine) : IClassFixture<TinyEngineFixture>
{
    public static TheoryData<string, byte[], string> BadImages() => new()
    {
        { "empty file", [], "empty" },
        { "text file", "hello, this is not an image"u8.ToArray(), "not" },
        { "truncated png", TruncatedPng(), "" },
        { "decompression bomb", PngBomb.Build(30000, 30000), "pixels" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task GenerateAsync_ThrowsImageRejected_AndEngineStillWorks(string label, byte[] bytes, string messagePart)
    {
        var messages = new[] { ChatMessage.User("Describe this image.", ImageContent.FromBytes(bytes, label)) };

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => EngineGenerationFacts.Collect(engine.Model.GenerateAsync(messages, GenerationOptions.Greedy(4))));

        Assert.Contains(messagePart, e.Message, StringComparison.OrdinalIgnoreCase);
        await AssertEngineStillAnswers();
    }

    [Fact]
    public async Task GenerateAsync_ThrowsContextLengthExceeded_WhenPromptExceedsContext()
    {
        using var small = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { MaxContextTokens = 64 });
        var longText = string.Join(' ', Enumerable.Repeat("word", 200));

        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() =>
            EngineGenerationFacts.Collect(small.GenerateAsync([ChatMessage.User(longText)], GenerationOptions.Greedy(4))));

        Assert.Contains("context holds 64", e.Message);
        Assert.Equal(64, e.ContextTokens);
        Assert.True(e.PromptTokens > 64);
        var (ids, _, last) = await EngineGenerationFacts.Collect(small.GenerateAsync([ChatMessage.User("Hi")], GenerationOptions.Greedy(4, 4)));
        Assert.Equal(4, ids.Count);
        Assert.Equal(FinishReason.Length, last.FinishReason);
    }

    [Fact]
    public async Task GenerateAsync_StopsWithLength_WhenContextFillsBeforeMaxNewTokens()
    {
        using var small = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { MaxContextTokens = 20 });

        var (ids, _, last) = await EngineGenerationFacts.Collect(small.GenerateAsync([ChatMessage.User("Hello, who are you?")], GenerationOptions.Greedy(100, 100)));

        Assert.Equal(20 - 14, ids.Count); // the golden text-only prompt is 14 tokens
        Assert.Equal(FinishReason.Length, last.FinishReason);
    }

    [Theory]
    [InlineData(-1, 0, "max_tokens")]
    [InlineData(0, 0, "max_tokens")]
    [InlineData(4, 8, "min_tokens")]
    public async Task GenerateAsync_ThrowsInvalidOption_WhenTokenBudgetsAreInconsistent(int max, int min, string field)
    {
        var e = await Assert.ThrowsAsync<InvalidGenerationOptionException>(() => EngineGenerationFacts.Collect(
            engine.Model.GenerateAsync([ChatMessage.User("Hi")], new GenerationOptions { MaxNewTokens = max, MinNewTokens = min })));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public async Task GenerateAsync_ThrowsInvalidPrompt_WhenConversationIsEmpty()
    {
        await Assert.ThrowsAsync<InvalidPromptException>(() => EngineGenerationFacts.Collect(engine.Model.GenerateAsync([], GenerationOptions.Greedy(4))));
    }

    private async Task AssertEngineStillAnswers()
    {
        var golden = GoldenCase.Load("case6_exact_size");
        var (ids, _, _) = await EngineGenerationFacts.Collect(engine.Model.GenerateAsync(GoldenConversation.Messages(golden), GenerationOptions.Greedy(16, 16)));
        Assert.Equal(golden.GeneratedIds, ids);
    }

    private static byte[] TruncatedPng()
    {
        var png = File.ReadAllBytes(Path.Combine(TestPaths.Golden, "image1_640x480.png"));
        return png[..(png.Length / 2)];
    }
}
