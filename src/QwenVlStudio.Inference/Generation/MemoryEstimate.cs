using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// An upper estimate of the memory one request holds at its peak, from the model's config: the KV cache for prompt
/// and answer, the prefill's attention scores (one layer's heads × prompt², which the unfused attention materializes),
/// the prefill's activations, and the images' features. Used to admit requests against a budget, not to measure.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Hidden-size float buffers alive per prompt token during prefill (residual, norms, MLP in and out).</summary>
    private const int ActivationBuffers = 8;

    public static long KvBytesPerToken(TextModelConfig text) => 2L * text.NumLayers * text.NumKeyValueHeads * text.HeadDim * sizeof(float);

    public static long Bytes(TextModelConfig text, int promptTokens, int maxNewTokens, long imageFeatureBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        long tokens = (long)promptTokens + Math.Max(0, maxNewTokens);
        long kv = KvBytesPerToken(text) * tokens;
        long attention = (long)text.NumAttentionHeads * promptTokens * promptTokens * sizeof(float);
        long activations = (long)promptTokens * text.HiddenSize * ActivationBuffers * sizeof(float);
        return kv + attention + activations + imageFeatureBytes;
    }
}
