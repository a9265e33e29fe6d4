using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Caching;

/// <summary>KV reuse across turns inside the engine: only new tokens are prefilled and the answers do not change.</summary>
public class PrefixReuseEngineFacts(CachedAndPlainEngines engines) : IClassFixture<CachedAndPlainEngines>
{
    private static readonly GenerationOptions Options = GenerationOptions.Greedy(16, minNewTokens: 16);

    private static ChatMessage FirstTurn() => ChatMessage.User("What is in this picture?",
        ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image3_64x64.png")));

    [Fact]
    public async Task ChatTemplate_KeepsEarlierTurnsTokens_WhenConversationGrows()
    {
        var turn1 = new[] { FirstTurn() };
        var answer = await EngineGenerationFacts.Collect(engines.Plain.GenerateAsync(turn1, Options));
        var turn2 = new[] { FirstTurn(), ChatMessage.Assistant(answer.Text), ChatMessage.User("What colors does it have?") };

        var first = await Task.Run(() => engines.Plain.Prepare(turn1));
        var second = await Task.Run(() => engines.Plain.Prepare(turn2));

        Assert.Equal(first.Ids, second.Ids.Take(first.Ids.Length));
        Assert.Equal(first.ImageKeys, second.ImageKeys);
    }

    [Fact]
    public async Task GenerateAsync_PrefillsOnlyNewTokens_OnSecondTurn()
    {
        engines.Cached.PrefixCache.Clear();
        var turn1 = new[] { FirstTurn() };
        var answer = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(turn1, Options));
        var turn2 = new[] { FirstTurn(), ChatMessage.Assistant(answer.Text), ChatMessage.User("What colors does it have?") };
        int firstPromptLength = answer.Last.Stats.PromptTokens;

        var plain = await EngineGenerationFacts.Collect(engines.Plain.GenerateAsync(turn2, Options));
        var cached = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(turn2, Options));

        Assert.Equal(0, answer.Last.Stats.ReusedPromptTokens);
        // This answer re-tokenizes to the generated ids, so the cache covers the first prompt and all answer tokens
        // but the last (sampled, never fed to the decoder).
        Assert.Equal(answer.Ids, engines.Cached.Tokenizer.Encode(answer.Text));
        Assert.Equal(firstPromptLength + answer.Ids.Count - 1, cached.Last.Stats.ReusedPromptTokens);
        Assert.Equal(plain.Ids, cached.Ids);
        Assert.Equal(plain.Text, cached.Text);
        Assert.Equal(0, plain.Last.Stats.ReusedPromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_ReproducesGoldenTwoTurnCase_WhenFirstTurnIsCached()
    {
        engines.Cached.PrefixCache.Clear();
        var golden = GoldenCase.Load("case3_tiny_two_turn");
        var first = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync([FirstTurn()], Options));

        var result = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(GoldenConversation.Messages(golden), Options));

        Assert.Equal(golden.GeneratedIds, result.Ids);
        Assert.True(result.Last.Stats.ReusedPromptTokens >= first.Last.Stats.PromptTokens);
        Assert.Equal(1, result.Last.Stats.CachedImages);
    }

    [Fact]
    public async Task GenerateAsync_FallsBackBeforeTheImage_WhenSameSizedImageDiffers()
    {
        engines.Cached.PrefixCache.Clear();
        var original = engines.Cached.ImagePreprocessor.Preprocess(File.ReadAllBytes(Path.Combine(TestPaths.Golden, "image4_256x192.png")));
        var changed = original with { PixelValues = original.PixelValues.Select((v, i) => i % 97 == 0 ? -v : v).ToArray() };
        ChatMessage Ask(PreprocessedImage image) => ChatMessage.User("What is written on the sign?", ImageContent.FromPreprocessed(image));
        await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync([Ask(original)], Options));
        var prompt = await Task.Run(() => engines.Cached.Prepare([Ask(changed)]));
        int firstImageToken = Array.IndexOf(prompt.Ids, engines.Cached.Package.Config.Tokens.ImagePad);

        var plain = await EngineGenerationFacts.Collect(engines.Plain.GenerateAsync([Ask(changed)], Options));
        var cached = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync([Ask(changed)], Options));

        Assert.NotEqual(ImageKey.Of(original), ImageKey.Of(changed));
        Assert.Equal(firstImageToken, cached.Last.Stats.ReusedPromptTokens);
        Assert.Equal(plain.Ids, cached.Ids);
    }

    [Fact]
    public async Task GenerateAsync_ReusesWholePrompt_WhenSameQuestionIsAskedAgain()
    {
        engines.Cached.PrefixCache.Clear();
        var messages = new[] { ChatMessage.User("Hello, who are you?") };
        var first = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(messages, Options));
        long hitsBefore = engines.Cached.PrefixCache.Stats.Hits;

        var again = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(messages, Options));

        Assert.Equal(first.Ids, again.Ids);
        Assert.Equal(first.Last.Stats.PromptTokens - 1, again.Last.Stats.ReusedPromptTokens);
        Assert.Equal(hitsBefore + 1, engines.Cached.PrefixCache.Stats.Hits);
    }
}
