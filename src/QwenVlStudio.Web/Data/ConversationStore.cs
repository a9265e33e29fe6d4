namespace QwenVlStudio.Web.Data;

/// <summary>
/// Conversations and their messages. Every method takes the owner's id and touches only that owner's records:
/// another user's conversation behaves exactly as one that does not exist (null / false).
/// </summary>
public sealed class ConversationStore(StudioDatabase db, TimeProvider clock)
{
    public const int MaxTitleLength = 120;

    public IReadOnlyList<ConversationRecord> List(Guid ownerId) =>
        db.Conversations.Find(c => c.OwnerId == ownerId).OrderByDescending(c => c.UpdatedUtc).ToList();

    public ConversationRecord? Find(Guid ownerId, Guid conversationId)
    {
        var conversation = db.Conversations.FindById(conversationId);
        return conversation?.OwnerId == ownerId ? conversation : null;
    }

    public ConversationRecord Create(Guid ownerId, string? title = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var conversation = new ConversationRecord
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            Title = NormalizeTitle(title) ?? ConversationRecord.DefaultTitle,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Conversations.Insert(conversation);
        return conversation;
    }

    /// <exception cref="ArgumentException">The title is empty or longer than <see cref="MaxTitleLength"/>.</exception>
    public bool Rename(Guid ownerId, Guid conversationId, string title)
    {
        var normalized = NormalizeTitle(title) ?? throw new ArgumentException("A title cannot be empty.", nameof(title));
        if (normalized.Length > MaxTitleLength)
            throw new ArgumentException($"A title can have at most {MaxTitleLength} characters.", nameof(title));
        var conversation = Find(ownerId, conversationId);
        if (conversation is null)
            return false;
        conversation.Title = normalized;
        return db.Conversations.Update(conversation);
    }

    /// <summary>Deletes the conversation, its messages and the images only it referenced.</summary>
    public bool Delete(Guid ownerId, Guid conversationId, ImageStore images)
    {
        if (Find(ownerId, conversationId) is null)
            return false;
        var imageIds = Messages(ownerId, conversationId).SelectMany(m => m.ImageIds).Distinct().ToList();
        db.Messages.DeleteMany(m => m.ConversationId == conversationId);
        db.Conversations.Delete(conversationId);
        foreach (var imageId in imageIds)
            images.Delete(ownerId, imageId);
        return true;
    }

    public IReadOnlyList<MessageRecord> Messages(Guid ownerId, Guid conversationId) =>
        Find(ownerId, conversationId) is null
            ? []
            : db.Messages.Find(m => m.ConversationId == conversationId).OrderBy(m => m.Index).ToList();

    /// <summary>Appends a message (its ids filled in here) and bumps the conversation to the top of the list.</summary>
    /// <exception cref="KeyNotFoundException">No such conversation for this owner.</exception>
    public MessageRecord Append(Guid ownerId, Guid conversationId, MessageRecord message)
    {
        var conversation = Find(ownerId, conversationId) ?? throw new KeyNotFoundException("Conversation not found.");
        var now = clock.GetUtcNow().UtcDateTime;
        message.Id = Guid.NewGuid();
        message.ConversationId = conversationId;
        message.OwnerId = ownerId;
        message.CreatedUtc = now;
        message.Index = db.Messages.Find(m => m.ConversationId == conversationId)
            .Select(m => m.Index).DefaultIfEmpty(-1).Max() + 1;
        db.Messages.Insert(message);
        conversation.UpdatedUtc = now;
        db.Conversations.Update(conversation);
        return message;
    }

    /// <summary>Saves a changed message (e.g. an answer as it completes) if it belongs to the owner.</summary>
    public bool Update(Guid ownerId, MessageRecord message)
    {
        var stored = db.Messages.FindById(message.Id);
        if (stored is null || stored.OwnerId != ownerId || message.OwnerId != ownerId)
            return false;
        return db.Messages.Update(message);
    }

    /// <summary>
    /// Marks every answer left in progress by a process that died as interrupted (run at start-up, before any new
    /// answer begins); returns how many there were.
    /// </summary>
    public int MarkInterruptedAnswers()
    {
        var left = db.Messages.Find(m => m.InProgress).ToList();
        foreach (var message in left)
        {
            message.InProgress = false;
            message.Interrupted = true;
            db.Messages.Update(message);
        }
        return left.Count;
    }

    public bool DeleteMessage(Guid ownerId, Guid messageId)
    {
        var stored = db.Messages.FindById(messageId);
        return stored is not null && stored.OwnerId == ownerId && db.Messages.Delete(messageId);
    }

    private static string? NormalizeTitle(string? title)
    {
        var trimmed = title?.Trim().ReplaceLineEndings(" ");
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
