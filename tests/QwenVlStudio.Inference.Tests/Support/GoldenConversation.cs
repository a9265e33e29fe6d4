using System.Text.Json;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>A golden case.json's messages as engine messages, with its images read from the golden folder.</summary>
public static class GoldenConversation
{
    public static IReadOnlyList<ChatMessage> Messages(GoldenCase golden)
    {
        var images = new Queue<string>(golden.Json.GetProperty("images").EnumerateArray().Select(i => i.GetString()!));
        return golden.Json.GetProperty("messages").EnumerateArray().Select(m =>
        {
            var role = Enum.Parse<ChatRole>(m.GetProperty("role").GetString()!, ignoreCase: true);
            var content = m.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
                return new ChatMessage(role, [new TextContent(content.GetString()!)]);
            var parts = content.EnumerateArray().Select<JsonElement, ChatContent>(p => p.GetProperty("type").GetString() switch
            {
                "image" => ImageContent.FromFile(Path.Combine(TestPaths.Golden, images.Dequeue())),
                _ => new TextContent(p.GetProperty("text").GetString()!),
            }).ToList();
            return new ChatMessage(role, parts);
        }).ToList();
    }
}
