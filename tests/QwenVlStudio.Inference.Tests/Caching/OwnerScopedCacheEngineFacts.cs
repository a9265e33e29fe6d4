using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Caching;

/// <summary>
/// Issue 15 item 2: a cache hit is seconds faster, so the engine's caches hit only for the owner who filled them —
/// another user sending the same text or image learns nothing from time to first token.
/// </summary>
public sealed class OwnerScopedCacheEngineFacts : IDisposable
{
    private static readonly GenerationOptions Options = GenerationOptions.Greedy(4, minNewTokens: 4);

    private readonly QwenVlModel _scoped = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1 });

    private readonly QwenVlModel _sharing = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
    {
        VisionThreads = 1, DecoderThreads = 1, ShareSystemPromptPrefixes = true,
    });

    public void Dispose()
    {
        _scoped.Dispose();
        _sharing.Dispose();
    }

    private static ChatMessage[] Conversation() =>
    [
        ChatMessage.System("You are a careful assistant."),
        ChatMessage.User("What is in this picture?", ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image3_64x64.png"))),
    ];

    private static async Task<GenerationStats> RunAs(QwenVlModel model, string owner) =>
        (await EngineGenerationFacts.Collect(model.GenerateAsync(Conversation(), Options, new RequestContext(Owner: owner)))).Last.Stats;

    [Fact]
    public async Task AnotherOwner_GetsNoPrefixReuseAndNoCachedImage()
    {
        await RunAs(_scoped, "alice");
        long visionHits = _scoped.VisionCache.Stats.Hits;

        var bob = await RunAs(_scoped, "bob");
        var alice = await RunAs(_scoped, "alice");

        Assert.Equal(0, bob.ReusedPromptTokens);
        Assert.True(alice.ReusedPromptTokens > 0);
        Assert.Equal(visionHits + 1, _scoped.VisionCache.Stats.Hits); // alice's second turn only
    }

    [Fact]
    public async Task AnotherOwner_ReusesExactlyTheSystemTurn_WhenSharingIsOn()
    {
        await RunAs(_sharing, "alice");
        var prompt = await Task.Run(() => _sharing.Prepare(Conversation()));

        var bob = await RunAs(_sharing, "bob");

        Assert.True(prompt.SystemPrefixLength > 0);
        Assert.Equal(_sharing.Tokenizer.ImEnd, prompt.Ids[prompt.SystemPrefixLength - 2]);
        Assert.Equal(prompt.SystemPrefixLength, bob.ReusedPromptTokens);
    }
}
