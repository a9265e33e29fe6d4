using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Caching;

/// <summary>The vision-feature cache inside the engine: repeated images skip the encoder and change no output.</summary>
public class VisionCacheEngineFacts(CachedAndPlainEngines engines) : IClassFixture<CachedAndPlainEngines>
{
    private static readonly GenerationOptions GoldenOptions = GenerationOptions.Greedy(16, minNewTokens: 16);

    [Theory]
    [MemberData(nameof(ImageCases))]
    public async Task GenerateAsync_GivesPlainEnginesIds_WhenFeaturesComeFromCache(string name)
    {
        var golden = GoldenCase.Load(name);
        var messages = GoldenConversation.Messages(golden);
        var plain = await EngineGenerationFacts.Collect(engines.Plain.GenerateAsync(messages, GoldenOptions));
        await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(messages, GoldenOptions));
        long hitsBefore = engines.Cached.VisionCache.Stats.Hits;

        var cached = await EngineGenerationFacts.Collect(engines.Cached.GenerateAsync(GoldenConversation.Messages(golden), GoldenOptions));

        Assert.Equal(golden.GeneratedIds, plain.Ids);
        Assert.Equal(plain.Ids, cached.Ids);
        Assert.Equal(plain.Text, cached.Text);
        Assert.Equal(golden.ImageGrids.Count, cached.Last.Stats.CachedImages);
        Assert.Equal(0, plain.Last.Stats.CachedImages);
        Assert.Equal(hitsBefore + golden.ImageGrids.Count, engines.Cached.VisionCache.Stats.Hits);
    }

    [Fact]
    public async Task Prepare_ReusesFeatures_WhenSameImageStartsAnotherConversation()
    {
        var image = ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image4_256x192.png"));
        var first = await Task.Run(() => engines.Cached.Prepare([ChatMessage.User("What is written on the sign?", image)]));

        var second = await Task.Run(() => engines.Cached.Prepare(
            [ChatMessage.System("Be brief."), ChatMessage.User("Describe it.", ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image4_256x192.png")))]));

        Assert.Same(first.Images[0], second.Images[0]);
        Assert.Equal(1, second.CachedImages);
        Assert.Equal(first.ImageKeys, second.ImageKeys);
    }

    [Fact]
    public async Task Prepare_EncodesEveryTime_WhenCacheIsOff()
    {
        var messages = new[] { ChatMessage.User("Hi", ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image3_64x64.png"))) };

        var first = await Task.Run(() => engines.Plain.Prepare(messages));
        var second = await Task.Run(() => engines.Plain.Prepare(messages));

        Assert.NotSame(first.Images[0], second.Images[0]);
        Assert.Equal(first.Images[0].ImageFeatures, second.Images[0].ImageFeatures);
        Assert.Equal(0, second.CachedImages);
        Assert.Equal(0, engines.Plain.VisionCache.Stats.Entries);
    }

    public static TheoryData<string> ImageCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in TestPaths.GoldenCaseNames.Where(n => File.Exists(Path.Combine(TestPaths.GoldenCase(n), "pixel_values.npy"))))
            data.Add(name);
        return data;
    }
}
