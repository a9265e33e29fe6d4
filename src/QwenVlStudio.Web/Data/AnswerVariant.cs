using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Data;

/// <summary>An earlier answer to the same question, kept when the user regenerated it (shown as ‹ 1/3 ›).</summary>
public sealed class AnswerVariant
{
    public string Text { get; set; } = "";

    public GenerationStats? Stats { get; set; }

    public FinishReason? FinishReason { get; set; }

    public string? Error { get; set; }

    public static AnswerVariant Of(MessageRecord answer) =>
        new() { Text = answer.Text, Stats = answer.Stats, FinishReason = answer.FinishReason, Error = answer.Error };
}
