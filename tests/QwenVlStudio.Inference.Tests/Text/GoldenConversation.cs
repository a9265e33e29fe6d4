using System.Text.Json;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Numpy;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Text;

/// <summary>A golden case's conversation (HF message format in case.json) with its reference prompt and ids.</summary>
internal sealed record GoldenConversation(IReadOnlyList<ChatMessage> Messages, string PromptText, long[] InputIds, int[] ImageTokenCounts)
{
    public static GoldenConversation Load(string caseName)
    {
        string dir = TestPaths.GoldenCase(caseName);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "case.json")));
        var root = json.RootElement;

        var imageFiles = new Queue<string>(root.GetProperty("images").EnumerateArray().Select(i => i.GetString()!));
        var messages = root.GetProperty("messages").EnumerateArray().Select(m => ToChatMessage(m, imageFiles)).ToList();
        Assert.Empty(imageFiles); // every listed image was placed in a message

        return new GoldenConversation(
            messages,
            root.GetProperty("prompt_text").GetString()!,
            NpyFile.Read(Path.Combine(dir, "input_ids.npy")).AsInt64(),
            ReadImageTokenCounts(dir));
    }

    /// <summary>Merged tokens per image: t·h·w / 4 (2×2 spatial merge) from image_grid_thw.npy.</summary>
    private static int[] ReadImageTokenCounts(string dir)
    {
        string path = Path.Combine(dir, "image_grid_thw.npy");
        if (!File.Exists(path))
            return [];
        var grid = NpyFile.Read(path);
        var thw = grid.AsInt64();
        return [.. Enumerable.Range(0, grid.Shape[0]).Select(i => checked((int)(thw[3 * i] * thw[3 * i + 1] * thw[3 * i + 2] / 4)))];
    }

    private static ChatMessage ToChatMessage(JsonElement message, Queue<string> imageFiles)
    {
        var role = message.GetProperty("role").GetString() switch
        {
            "system" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            var other => throw new InvalidDataException($"unexpected role {other}"),
        };
        var content = message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.String)
            return new ChatMessage(role, [new TextContent(content.GetString()!)]);

        var parts = content.EnumerateArray().Select<JsonElement, ChatContent>(part => part.GetProperty("type").GetString() switch
        {
            "text" => new TextContent(part.GetProperty("text").GetString()!),
            "image" => ImageContent.FromFile(Path.Combine(TestPaths.Golden, imageFiles.Dequeue())),
            var other => throw new InvalidDataException($"unexpected content type {other}"),
        });
        return new ChatMessage(role, [.. parts]);
    }
}
