using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Batches;

/// <summary>The conversation the engine sees for one item: the batch's system prompt, then the image and the prompt.</summary>
public static class BatchPrompt
{
    public const string JsonInstruction =
        "Answer with a single JSON value and nothing else: no explanation, no Markdown code fences.";

    public static IReadOnlyList<ChatMessage> Build(BatchRecord batch, byte[] image, string fileName)
    {
        var system = batch.SystemPrompt?.Trim();
        if (batch.OutputFormat == BatchOutputFormat.Json)
            system = string.IsNullOrEmpty(system) ? JsonInstruction : system + "\n\n" + JsonInstruction;
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(system))
            messages.Add(ChatMessage.System(system));
        messages.Add(ChatMessage.User(batch.Prompt, ImageContent.FromBytes(image, fileName)));
        return messages;
    }
}
