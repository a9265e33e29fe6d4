using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Inference.Generation;

/// <summary>One prepared prompt to answer, with everything the decode loops need to stream its answer.</summary>
internal sealed record SequenceRequest(
    PreparedPrompt Prompt,
    GenerationOptions Options,
    ITokenTextStream Text,
    RequestContext Context,
    long StartTimestamp)
{
    /// <summary>This answer's own progress through <see cref="GenerationOptions.Constraint"/> (null: unconstrained).</summary>
    public ConstraintCursor? Constraint { get; init; }
}
