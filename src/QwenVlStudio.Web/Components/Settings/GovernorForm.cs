using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Components.Settings;

/// <summary>The settings page's editable copy of <see cref="GovernorSettings"/> (which is immutable).</summary>
public sealed class GovernorForm
{
    public int VisionThreads { get; set; }
    public int DecoderThreads { get; set; }
    public int MaxConcurrentSequences { get; set; }
    public int MaxQueueLength { get; set; }
    public bool BatchingEnabled { get; set; }
    public int MaxBatchSize { get; set; }
    public int VisionCacheMegabytes { get; set; }
    public int PrefixCacheMegabytes { get; set; }
    public long MaxImagePixels { get; set; }
    public int MaxNewTokens { get; set; }
    public bool DoSample { get; set; }
    public double Temperature { get; set; }
    public double TopP { get; set; }
    public int TopK { get; set; }

    public static GovernorForm From(GovernorSettings s) => new()
    {
        VisionThreads = s.VisionThreads,
        DecoderThreads = s.DecoderThreads,
        MaxConcurrentSequences = s.MaxConcurrentSequences,
        MaxQueueLength = s.MaxQueueLength,
        BatchingEnabled = s.BatchingEnabled,
        MaxBatchSize = s.MaxBatchSize,
        VisionCacheMegabytes = s.VisionCacheMegabytes,
        PrefixCacheMegabytes = s.PrefixCacheMegabytes,
        MaxImagePixels = s.MaxImagePixels,
        MaxNewTokens = s.MaxNewTokens,
        DoSample = s.DoSample,
        Temperature = s.Temperature,
        TopP = s.TopP,
        TopK = s.TopK,
    };

    public GovernorSettings ToSettings() => new()
    {
        VisionThreads = VisionThreads,
        DecoderThreads = DecoderThreads,
        MaxConcurrentSequences = MaxConcurrentSequences,
        MaxQueueLength = MaxQueueLength,
        BatchingEnabled = BatchingEnabled,
        MaxBatchSize = MaxBatchSize,
        VisionCacheMegabytes = VisionCacheMegabytes,
        PrefixCacheMegabytes = PrefixCacheMegabytes,
        MaxImagePixels = MaxImagePixels,
        MaxNewTokens = MaxNewTokens,
        DoSample = DoSample,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
    };
}
