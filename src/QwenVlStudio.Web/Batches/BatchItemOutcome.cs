using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Batches;

/// <summary>How processing one item ended: what <see cref="BatchStore.Finish"/> writes, once.</summary>
public sealed record BatchItemOutcome(
    BatchItemStatus Status,
    string? Answer,
    string? Error,
    GenerationStats? Stats = null,
    FinishReason? FinishReason = null,
    double QueueMs = 0)
{
    public static BatchItemOutcome Done(string answer, GenerationStats stats, FinishReason reason, double queueMs) =>
        new(BatchItemStatus.Done, answer, null, stats, reason, queueMs);

    /// <summary>A failure; <paramref name="answer"/> keeps what the model wrote when the answer itself was the problem.</summary>
    public static BatchItemOutcome Failed(string error, string? answer = null, GenerationStats? stats = null, FinishReason? reason = null, double queueMs = 0) =>
        new(BatchItemStatus.Failed, answer, error, stats, reason, queueMs);

    public static BatchItemOutcome Cancelled(string reason) => new(BatchItemStatus.Cancelled, null, reason);
}
