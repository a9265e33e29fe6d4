using Microsoft.Extensions.Options;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Loads the real Qwen3-VL ONNX engine with the governor's thread counts, batch size and cache sizes. Thread
/// spinning stays off (the ModelLoadOptions default): a server shares its cores between sequences and the web host.
/// </summary>
public sealed class OnnxEngineFactory(IOptions<ModelOptions>? modelOptions = null) : IEngineFactory
{
    public IGenerationEngine Create(string modelPath, EngineBuildSettings settings) =>
        QwenVlModel.Load(modelPath, ToLoadOptions(settings) with
        {
            ShareSystemPromptPrefixes = modelOptions?.Value.ShareSystemPromptPrefixes ?? false,
            MemoryBudgetBytes = (modelOptions?.Value ?? new ModelOptions()).ResolvedMemoryBudgetBytes(),
        });

    public static ModelLoadOptions ToLoadOptions(EngineBuildSettings settings)
    {
        long prefixBytes = (long)settings.PrefixCacheMegabytes << 20;
        return new ModelLoadOptions
        {
            VisionThreads = settings.VisionThreads,
            DecoderThreads = settings.DecoderThreads,
            MaxBatchSize = settings.MaxBatchSize,
            VisionCacheBytes = (long)settings.VisionCacheMegabytes << 20,
            PrefixCacheBytes = prefixBytes,
            // One user (or API key) may fill a quarter of the prefix cache: enough for a few long conversations,
            // never enough to push every other user's out.
            PrefixCacheBytesPerOwner = prefixBytes / 4,
        };
    }
}
