using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Text;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Chat;

/// <summary>The user's side of a turn: posting a message (creating the conversation if needed) and regenerating.</summary>
public sealed class ChatTurns(ConversationStore conversations, ImageStore images)
{
    /// <summary>
    /// A backstop far above any context the engine is built with: the composer refuses text over the loaded model's
    /// context first (<see cref="Components.Chat.PromptLimit"/>), and the engine counts the tokens exactly.
    /// </summary>
    public const int MaxMessageLength = 1_000_000;
    private const int TitleLength = 60;

    /// <summary>Stores the user's message; names a fresh conversation after its first words.</summary>
    /// <exception cref="ArgumentException">Empty (no text, no image), too long, not valid Unicode, or an image that is not the user's.</exception>
    /// <exception cref="KeyNotFoundException">No such conversation for this owner.</exception>
    public (ConversationRecord Conversation, MessageRecord Message) Post(
        Guid ownerId, Guid? conversationId, string text, IReadOnlyList<string> imageIds)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 && imageIds.Count == 0)
            throw new ArgumentException("Write a message or attach an image first.");
        if (trimmed.Length > MaxMessageLength)
            throw new ArgumentException($"Messages can have at most {MaxMessageLength:N0} characters.");
        if (UnicodeText.Problem(trimmed) is { } problem)
            throw new ArgumentException($"Your message {problem}; remove that character and send it again.");
        if (imageIds.Any(id => images.Find(ownerId, id) is null))
            throw new ArgumentException("An attached image is no longer available; please attach it again.");

        var conversation = conversationId is { } id
            ? conversations.Find(ownerId, id) ?? throw new KeyNotFoundException("Conversation not found.")
            : conversations.Create(ownerId);
        var message = conversations.Append(ownerId, conversation.Id, new MessageRecord
        {
            Role = ChatRole.User,
            Text = trimmed,
            ImageIds = [.. imageIds],
        });

        if (conversation.Title == ConversationRecord.DefaultTitle && trimmed.Length > 0)
        {
            var title = trimmed.Length <= TitleLength ? trimmed : trimmed[..TitleLength].TrimEnd() + "…";
            conversations.Rename(ownerId, conversation.Id, title);
            conversation.Title = title;
        }

        return (conversation, message);
    }

    /// <summary>
    /// Removes the last answer so a new one can be generated for the same question, and returns it with its own
    /// earlier variants (oldest first), for the new answer to keep.
    /// </summary>
    /// <returns>Null when the conversation does not end with an answer.</returns>
    public List<AnswerVariant>? DropLastAnswer(Guid ownerId, Guid conversationId)
    {
        var last = conversations.Messages(ownerId, conversationId).LastOrDefault();
        if (last is not { Role: ChatRole.Assistant } || !conversations.DeleteMessage(ownerId, last.Id))
            return null;
        return [.. last.Variants, AnswerVariant.Of(last)];
    }
}
