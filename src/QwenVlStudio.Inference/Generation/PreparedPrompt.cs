using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// A conversation ready for the decoder: expanded prompt ids, each image's vision features in prompt order,
/// and the MRoPE positions. Building it (tokenize, preprocess, vision encode) is separate from decoding so that
/// the scheduler can time and cache the parts.
/// </summary>
public sealed record PreparedPrompt(int[] Ids, IReadOnlyList<VisionFeatures> Images, MropePositions Positions, double VisionMs);
