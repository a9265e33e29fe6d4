using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>A conversation tokenized and its images preprocessed, before the vision encoder: what is queued.</summary>
internal sealed record PromptPlan(int[] Ids, IReadOnlyList<PreprocessedImage> Images, MropePositions Positions);
