namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>
/// One request handed to the engine loop: its prompt, or the vision stage that completes the prompt (run by the
/// <see cref="VisionWorker"/> once the request is admitted), and everything needed to stream its answer.
/// </summary>
internal sealed record EngineSubmission(
    GenerationOptions Options,
    ITokenTextStream Text,
    RequestContext Context,
    long StartTimestamp,
    PreparedPrompt? Prompt,
    Func<CancellationToken, PreparedPrompt>? Vision = null)
{
    /// <summary>The answer's own progress through its JSON constraint (null: unconstrained); kept across preemption.</summary>
    public Constrained.ConstraintCursor? Constraint { get; init; }

    public static EngineSubmission Ready(PreparedPrompt prompt, GenerationOptions options, ITokenTextStream text, RequestContext context, long start) =>
        new(options, text, context, start, prompt);
}
