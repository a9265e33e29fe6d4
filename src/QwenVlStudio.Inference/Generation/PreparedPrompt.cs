using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// A conversation ready for the decoder: expanded prompt ids, each image's vision features in prompt order,
/// and the MRoPE positions. Building it (tokenize, preprocess, vision encode) is separate from decoding so that
/// the scheduler can time and cache the parts.
/// </summary>
public sealed record PreparedPrompt(int[] Ids, IReadOnlyList<VisionFeatures> Images, MropePositions Positions, double VisionMs)
{
    /// <summary>
    /// Each image's identity, in prompt order. Empty when the caller built the prompt from raw features: then no
    /// cached KV can be trusted for image tokens and a prefix reuse stops before the first image.
    /// </summary>
    public IReadOnlyList<ImageKey> ImageKeys { get; init; } = [];

    /// <summary>
    /// How many leading ids are the system turn (through its <c>&lt;|im_end|&gt;</c> and newline); 0 when the prompt
    /// has none or was built from raw ids. The prefix cache may share exactly this much between owners.
    /// </summary>
    public int SystemPrefixLength { get; init; }

    /// <summary>Images whose features came from the vision cache instead of the encoder.</summary>
    public int CachedImages { get; init; }
}
