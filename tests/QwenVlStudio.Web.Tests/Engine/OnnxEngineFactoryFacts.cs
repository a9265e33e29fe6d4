using QwenVlStudio.Inference;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Engine;

/// <summary>The real engine is built with what the governor decided: threads per graph, batching and cache sizes.</summary>
public sealed class OnnxEngineFactoryFacts
{
    [Fact]
    public void Create_LoadsModelWithGovernorsThreadsBatchAndCaches()
    {
        var settings = new GovernorSettings
        {
            VisionThreads = 2, DecoderThreads = 1, MaxConcurrentSequences = 4, BatchingEnabled = true, MaxBatchSize = 3,
            VisionCacheMegabytes = 10, PrefixCacheMegabytes = 40,
        };

        using var model = (QwenVlModel)new OnnxEngineFactory().Create(Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-tiny"), settings.ToEngineOptions());

        Assert.Equal(2, model.LoadOptions.VisionThreads);
        Assert.Equal(1, model.LoadOptions.DecoderThreads);
        Assert.Equal(3, model.MaxBatchSize);
        Assert.Equal(10L << 20, model.VisionCache.CapacityBytes);
        Assert.Equal(40L << 20, model.PrefixCache.CapacityBytes);
        Assert.Equal(10L << 20, model.PrefixCache.PerOwnerBytes);
        Assert.False(model.PrefixCache.ShareSystemPrompts);
    }

    [Fact]
    public void Create_SharesSystemPromptPrefixes_OnlyWhenConfigured()
    {
        var factory = new OnnxEngineFactory(Microsoft.Extensions.Options.Options.Create(new ModelOptions { ShareSystemPromptPrefixes = true }));

        using var model = (QwenVlModel)factory.Create(Path.Combine(TestPaths.RepoRoot, "models", "qwen3-vl-tiny"), new GovernorSettings().ToEngineOptions());

        Assert.True(model.PrefixCache.ShareSystemPrompts);
    }

    [Fact]
    public void ToEngineOptions_KeepsBatchSizeOne_WhenBatchingIsOff()
    {
        var settings = new GovernorSettings { MaxConcurrentSequences = 4, BatchingEnabled = false, MaxBatchSize = 1 };

        Assert.Equal(1, settings.ToEngineOptions().MaxBatchSize);
    }
}
