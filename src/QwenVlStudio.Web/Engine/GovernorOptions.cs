namespace QwenVlStudio.Web.Engine;

/// <summary>
/// appsettings.json section "Governor": optional overrides of the core-count preset. Any value left out keeps
/// the preset's. Settings saved on the settings page take precedence over both (they are the admin's latest word).
/// </summary>
public sealed class GovernorOptions
{
    public const string Section = "Governor";

    public int? VisionThreads { get; set; }
    public int? DecoderThreads { get; set; }
    public int? MaxConcurrentSequences { get; set; }
    public int? MaxQueueLength { get; set; }
    public bool? BatchingEnabled { get; set; }
    public int? MaxBatchSize { get; set; }
    public int? VisionCacheMegabytes { get; set; }
    public int? PrefixCacheMegabytes { get; set; }
    public long? MaxImagePixels { get; set; }
    public int? MaxNewTokens { get; set; }
    public bool? DoSample { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }

    /// <summary>Overrides the detected core count when choosing the preset (for containers with CPU quotas).</summary>
    public int? CoreCount { get; set; }

    public GovernorSettings ApplyTo(GovernorSettings preset) => preset with
    {
        VisionThreads = VisionThreads ?? preset.VisionThreads,
        DecoderThreads = DecoderThreads ?? preset.DecoderThreads,
        MaxConcurrentSequences = MaxConcurrentSequences ?? preset.MaxConcurrentSequences,
        MaxQueueLength = MaxQueueLength ?? preset.MaxQueueLength,
        BatchingEnabled = BatchingEnabled ?? preset.BatchingEnabled,
        MaxBatchSize = MaxBatchSize ?? preset.MaxBatchSize,
        VisionCacheMegabytes = VisionCacheMegabytes ?? preset.VisionCacheMegabytes,
        PrefixCacheMegabytes = PrefixCacheMegabytes ?? preset.PrefixCacheMegabytes,
        MaxImagePixels = MaxImagePixels ?? preset.MaxImagePixels,
        MaxNewTokens = MaxNewTokens ?? preset.MaxNewTokens,
        DoSample = DoSample ?? preset.DoSample,
        Temperature = Temperature ?? preset.Temperature,
        TopP = TopP ?? preset.TopP,
        TopK = TopK ?? preset.TopK,
    };
}
