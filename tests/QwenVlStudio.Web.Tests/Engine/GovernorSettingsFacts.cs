using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Engine;

public sealed class GovernorSettingsFacts
{
    [Theory]
    [InlineData(1, 2, 1, false, 1)]
    [InlineData(7, 2, 1, false, 1)]
    [InlineData(8, 4, 2, false, 1)]
    [InlineData(16, 4, 2, false, 1)]
    [InlineData(17, 8, 4, true, 4)]
    [InlineData(64, 8, 4, true, 4)]
    public void ForCoreCount_FollowsTheDesignPresets(int cores, int threads, int sequences, bool batching, int batch)
    {
        var preset = GovernorPresets.ForCoreCount(cores);
        Assert.Equal(threads, preset.VisionThreads);
        Assert.Equal(threads, preset.DecoderThreads);
        Assert.Equal(sequences, preset.MaxConcurrentSequences);
        Assert.Equal(batching, preset.BatchingEnabled);
        Assert.Equal(batch, preset.MaxBatchSize);
        Assert.Empty(preset.Validate());
    }

    [Fact]
    public void ApplyTo_OverridesOnlyTheGivenValues()
    {
        var options = new GovernorOptions { DecoderThreads = 3, MaxNewTokens = 99 };
        var result = options.ApplyTo(GovernorPresets.ForCoreCount(12));
        Assert.Equal(3, result.DecoderThreads);
        Assert.Equal(4, result.VisionThreads);
        Assert.Equal(99, result.MaxNewTokens);
        Assert.Equal(2, result.MaxConcurrentSequences);
    }

    [Fact]
    public void Validate_NamesEachOutOfRangeValue()
    {
        var settings = new GovernorSettings { DecoderThreads = 0, VisionThreads = 500, MaxConcurrentSequences = 0, Temperature = 9 };
        var errors = settings.Validate();
        Assert.Contains(errors, e => e.StartsWith("Decoder threads must be between 1 and 64"));
        Assert.Contains(errors, e => e.StartsWith("Vision encoder threads must be between 1 and 64"));
        Assert.Contains(errors, e => e.StartsWith("Concurrent sequences"));
        Assert.Contains(errors, e => e.StartsWith("Temperature"));
    }

    [Fact]
    public void Validate_RefusesBatchLargerThanConcurrency()
    {
        var settings = new GovernorSettings { MaxConcurrentSequences = 2, BatchingEnabled = true, MaxBatchSize = 4 };
        Assert.Contains("Batch size cannot exceed the number of concurrent sequences.", settings.Validate());
    }

    [Fact]
    public void ToGenerationOptions_CarriesTheRequestDefaults()
    {
        var options = new GovernorSettings { MaxNewTokens = 77, DoSample = true, Temperature = 0.5, TopP = 0.9, TopK = 5 }.ToGenerationOptions();
        Assert.Equal(77, options.MaxNewTokens);
        Assert.True(options.DoSample);
        Assert.Equal(0.5f, options.Temperature);
        Assert.Equal(0.9f, options.TopP, 5);
        Assert.Equal(5, options.TopK);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(2.0, true)]
    [InlineData(2.01, false)]
    [InlineData(-0.5, false)]
    public void Validate_UsesTheEngineTemperatureRange_WithZeroForGreedy(double temperature, bool valid)
    {
        var errors = new GovernorSettings { DoSample = true, Temperature = temperature }.Validate();

        Assert.Equal(valid, errors.Count == 0);
        var batch = new QwenVlStudio.Web.Batches.BatchGenerationSettings { DoSample = true, Temperature = temperature }.Validate();
        Assert.Equal(valid, batch.Count == 0);
    }

    [Fact]
    public void ToEngineOptions_MapsConcurrencyQueueBatchAndCaches()
    {
        var options = new GovernorSettings
        {
            MaxConcurrentSequences = 4, MaxQueueLength = 9, BatchingEnabled = true, MaxBatchSize = 2, VisionCacheMegabytes = 3, PrefixCacheMegabytes = 8,
        }.ToEngineOptions();

        Assert.Equal((4, 2, 9), (options.MaxRunningSequences, options.MaxBatchSize, options.MaxQueueLength));
        Assert.Equal((3L << 20, 8L << 20, 2L << 20), (options.VisionCacheBytes, options.PrefixCacheBytes, options.PrefixCacheBytesPerOwner));
        Assert.Empty(options.Validate());
    }
}
