namespace QwenVlStudio.Web.Data;

public sealed class ConversationRecord
{
    public const string DefaultTitle = "New chat";

    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public string Title { get; set; } = DefaultTitle;

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }
}
