using QwenVlStudio.Inference.Imaging;

namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>A conversation tokenized and its images preprocessed, before the vision encoder: what is queued.</summary>
/// <param name="SystemTurn">Whether the conversation opens with a system turn (its KV may be shared across owners when allowed).</param>
internal sealed record PromptPlan(int[] Ids, IReadOnlyList<PreprocessedImage> Images, MropePositions Positions, bool SystemTurn = false);
