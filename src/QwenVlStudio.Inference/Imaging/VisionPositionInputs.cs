namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// The three position inputs of <c>vision_encoder.onnx</c> for one image of N patches (model-package.md §4), in the
/// graph's row-major layouts: <see cref="PosEmbedIdx"/> and <see cref="PosEmbedWeight"/> are [4, N],
/// <see cref="RotaryPosIds"/> is [N, 2].
/// </summary>
public sealed record VisionPositionInputs(long[] PosEmbedIdx, float[] PosEmbedWeight, long[] RotaryPosIds, int NumPatches);
