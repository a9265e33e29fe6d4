using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Data;

/// <summary>One turn of a conversation as stored; assistant turns carry their timings.</summary>
public sealed class MessageRecord
{
    public Guid Id { get; set; }

    public Guid ConversationId { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>Position in the conversation (0, 1, …): the order the turns were written in.</summary>
    public int Index { get; set; }

    public ChatRole Role { get; set; }

    public string Text { get; set; } = "";

    /// <summary>Server-generated ids of the images of a user turn, in the order they were attached.</summary>
    public List<string> ImageIds { get; set; } = [];

    public GenerationStats? Stats { get; set; }

    public FinishReason? FinishReason { get; set; }

    /// <summary>Why generation failed (shown in place of an answer), or null.</summary>
    public string? Error { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>
    /// True while the answer is being generated (its text is saved as it streams); still true at start-up only when
    /// the process died mid-answer, and then <see cref="Interrupted"/> is set instead.
    /// </summary>
    public bool InProgress { get; set; }

    /// <summary>The server stopped (crash, kill, power) while this answer was streaming; its text is what was saved.</summary>
    public bool Interrupted { get; set; }

    /// <summary>Earlier answers to the same question, oldest first; this record's own fields are the latest.</summary>
    public List<AnswerVariant> Variants { get; set; } = [];
}
