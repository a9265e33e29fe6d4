namespace QwenVlStudio.Inference.Caching;

/// <summary>What the engine's speed features hold and achieved since load, for dashboards and metrics.</summary>
public sealed record EngineStatistics(
    CacheStats VisionCache,
    CacheStats PrefixCache,
    long ReusedPromptTokens,
    int MaxBatchSize,
    long BatchSteps,
    long BatchRows)
{
    /// <summary>Mean rows per batched decoder call; 0 before the first (or without batching).</summary>
    public double MeanBatchSize => BatchSteps == 0 ? 0 : (double)BatchRows / BatchSteps;
}

/// <summary>An engine that reports <see cref="EngineStatistics"/> (the ONNX engine does; test fakes need not).</summary>
public interface IEngineStatistics
{
    EngineStatistics Statistics { get; }
}
