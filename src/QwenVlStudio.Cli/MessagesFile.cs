using System.Text.Json;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Cli;

/// <summary>
/// Reads a conversation file: a JSON array of {"role", "content"} where content is a string or a list of
/// {"type":"text","text"} / {"type":"image","image": path relative to the file} parts in any order.
/// </summary>
internal static class MessagesFile
{
    public static IReadOnlyList<ChatMessage> Load(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"messages file '{path}' does not exist");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"messages file '{path}' is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            // Accept the golden case.json shape too: {"messages": [...], "images": [...]}.
            var images = new Queue<string>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var inner))
            {
                if (root.TryGetProperty("images", out var list))
                    foreach (var image in list.EnumerateArray()) images.Enqueue(image.GetString()!);
                root = inner;
            }
            if (root.ValueKind != JsonValueKind.Array)
                throw new UsageException($"messages file '{path}' must hold a JSON array of messages");
            return root.EnumerateArray().Select((m, i) => ParseMessage(m, i, baseDir, images)).ToList();
        }
    }

    private static ChatMessage ParseMessage(JsonElement message, int index, string baseDir, Queue<string> images)
    {
        var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
        var chatRole = role switch
        {
            "system" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw new UsageException($"message {index}: role must be system, user or assistant, got '{role}'"),
        };
        if (!message.TryGetProperty("content", out var content))
            throw new UsageException($"message {index} has no content");
        if (content.ValueKind == JsonValueKind.String)
            return new ChatMessage(chatRole, [new TextContent(content.GetString()!)]);
        if (content.ValueKind != JsonValueKind.Array)
            throw new UsageException($"message {index}: content must be a string or a list of parts");

        var parts = new List<ChatContent>();
        foreach (var part in content.EnumerateArray())
        {
            var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    parts.Add(new TextContent(part.GetProperty("text").GetString() ?? ""));
                    break;
                case "image":
                    var file = part.TryGetProperty("image", out var img) ? img.GetString()
                        : images.Count > 0 ? images.Dequeue() : null;
                    if (file is null) throw new UsageException($"message {index}: an image part has no 'image' path");
                    var full = Path.Combine(baseDir, file);
                    if (!File.Exists(full)) throw new UsageException($"message {index}: image '{full}' does not exist");
                    parts.Add(ImageContent.FromFile(full));
                    break;
                default:
                    throw new UsageException($"message {index}: part type must be text or image, got '{type}'");
            }
        }
        return new ChatMessage(chatRole, parts);
    }
}
