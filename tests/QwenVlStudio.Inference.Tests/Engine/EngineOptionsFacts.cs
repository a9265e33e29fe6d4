namespace QwenVlStudio.Inference.Tests.Engine;

/// <summary>The engine options' one validator: the policy rules that used to live in the web settings.</summary>
public class EngineOptionsFacts
{
    [Fact]
    public void Validate_RefusesBatchLargerThanConcurrency_AndOtherBrokenRules()
    {
        Assert.Contains("Batch size cannot exceed the number of concurrent sequences.",
            new ModelLoadOptions { MaxRunningSequences = 2, MaxBatchSize = 3 }.Validate());
        Assert.NotEmpty(new ModelLoadOptions { MaxQueueLength = 0 }.Validate());
        Assert.NotEmpty(new ModelLoadOptions { PrefillChunkTokens = 0 }.Validate());
        Assert.NotEmpty(new ModelLoadOptions { VisionWorkers = 0 }.Validate());
        Assert.NotEmpty(new ModelLoadOptions { PrefixCacheOwnerShare = 0 }.Validate());
        Assert.NotEmpty(new ModelLoadOptions { MaxRunningSequences = 4, MaxBatchSize = 4, StepTokenBudget = 3 }.Validate());
        Assert.Empty(new ModelLoadOptions().Validate());
    }

    [Fact]
    public void Load_Throws_WhenOptionsAreInvalid()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            QwenVlModel.Load(Support.TestPaths.TinyModel, new ModelLoadOptions { MaxRunningSequences = 1, MaxBatchSize = 2 }));

        Assert.Contains("Batch size", error.Message);
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(12, 2, 1)]
    [InlineData(32, 4, 4)]
    public void Presets_ByCoreCount_AreValid(int cores, int running, int batch)
    {
        var preset = EnginePresets.ForCoreCount(cores);

        Assert.Equal((running, batch), (preset.MaxRunningSequences, preset.MaxBatchSize));
        Assert.Empty(preset.Validate());
    }

    [Fact]
    public void PrefixCacheShare_GivesEachOwnerItsFraction()
    {
        var options = new ModelLoadOptions { PrefixCacheBytes = 400, PrefixCacheOwnerShare = 0.25 };

        Assert.Equal(100, options.PrefixCacheBytesPerOwner);
    }
}
