namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// Vision encoder output for one image: <see cref="ImageFeatures"/> [TokenCount, H] and
/// <see cref="DeepstackFeatures"/> [K, TokenCount, H], row-major.
/// </summary>
public sealed record VisionFeatures(float[] ImageFeatures, float[] DeepstackFeatures, int TokenCount, int HiddenSize, int DeepstackCount)
{
    /// <summary>Bytes held, for caches bounded by memory.</summary>
    public long SizeInBytes => (ImageFeatures.LongLength + DeepstackFeatures.LongLength) * sizeof(float);
}
