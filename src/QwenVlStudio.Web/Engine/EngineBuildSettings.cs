namespace QwenVlStudio.Web.Engine;

/// <summary>
/// What an engine instance is built with. Intra-op threads are separate for the vision encoder and the decoder:
/// vision encoding wants its own thread count. 0 lets ONNX Runtime choose. <see cref="MaxBatchSize"/> above 1 turns
/// on dynamic batching; the cache sizes bound the vision-feature cache and the KV prefix cache (0 turns one off).
/// </summary>
public sealed record EngineBuildSettings(
    int VisionThreads,
    int DecoderThreads,
    int MaxBatchSize = 1,
    int VisionCacheMegabytes = EngineBuildSettings.DefaultVisionCacheMegabytes,
    int PrefixCacheMegabytes = EngineBuildSettings.DefaultPrefixCacheMegabytes)
{
    public const int DefaultVisionCacheMegabytes = 256;
    public const int DefaultPrefixCacheMegabytes = 1024;
}
