using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// Turns stored messages into what the engine sees: every earlier user turn with its images (images first, then
/// the text, as the chat template lays them out) and every earlier answer, so follow-ups keep their context.
/// Answers that produced no text (failed or stopped before the first token) are left out.
/// </summary>
public static class ChatHistoryBuilder
{
    /// <exception cref="InvalidOperationException">A referenced image is gone from storage.</exception>
    public static IReadOnlyList<ChatMessage> Build(IEnumerable<MessageRecord> history, Func<string, byte[]?> readImage)
    {
        var messages = new List<ChatMessage>();
        foreach (var record in history)
        {
            switch (record.Role)
            {
                case ChatRole.User:
                    var images = record.ImageIds
                        .Select(id => ImageContent.FromBytes(
                            readImage(id) ?? throw new InvalidOperationException("An image of this conversation is missing from storage."),
                            id))
                        .ToArray();
                    messages.Add(ChatMessage.User(record.Text, images));
                    break;
                case ChatRole.Assistant when !string.IsNullOrEmpty(record.Text):
                    messages.Add(ChatMessage.Assistant(record.Text));
                    break;
                case ChatRole.System:
                    messages.Add(ChatMessage.System(record.Text));
                    break;
            }
        }

        return messages;
    }
}
