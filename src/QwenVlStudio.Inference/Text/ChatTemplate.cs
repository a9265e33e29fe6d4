using System.Text;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// Renders a conversation exactly as the package's <c>chat_template.jinja</c> (Qwen3-VL Instruct) does in Hugging Face
/// with <c>add_generation_prompt</c>: no default system prompt; each turn is
/// <c>&lt;|im_start|&gt;ROLE\n</c> + its parts joined without separators + <c>&lt;|im_end|&gt;\n</c>; each image is
/// <see cref="ImagePlaceholder"/> at its place among the text parts. The template has no reasoning handling, so
/// assistant text (even with <c>&lt;think&gt;</c>) is kept verbatim.
/// </summary>
/// <remarks>
/// Where the template would silently drop content (a system message that is not first; images in system or
/// assistant turns, which it skips while the processor still expects their features) this throws
/// <see cref="InvalidPromptException"/> instead. Text is inserted verbatim, as HF does: added tokens typed by a
/// user (such as <c>&lt;|im_end|&gt;</c>) are tokenized as those tokens.
/// </remarks>
public static class ChatTemplate
{
    /// <summary>What one image becomes in the prompt text; <see cref="PromptTokens"/> expands its pad token.</summary>
    public const string ImagePlaceholder = "<|vision_start|><|image_pad|><|vision_end|>";

    private const string TurnStart = "<|im_start|>";
    private const string TurnEnd = "<|im_end|>\n";

    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            throw new InvalidPromptException("The conversation has no messages.");

        var prompt = new StringBuilder();
        for (int index = 0; index < messages.Count; index++)
        {
            var message = messages[index] ?? throw new InvalidPromptException($"Message {index} is null.");
            if (message.Role == ChatRole.System && index > 0)
                throw new InvalidPromptException($"Message {index} is a system message; only the first message may be one.");
            AppendTurn(prompt, message, index);
        }
        if (addGenerationPrompt)
            prompt.Append(TurnStart).Append("assistant\n");
        return prompt.ToString();
    }

    private static void AppendTurn(StringBuilder prompt, ChatMessage message, int index)
    {
        string role = message.Role switch
        {
            ChatRole.System => "system",
            ChatRole.User => "user",
            ChatRole.Assistant => "assistant",
            _ => throw new InvalidPromptException($"Message {index} has the unknown role {message.Role}."),
        };
        if (message.Content is null)
            throw new InvalidPromptException($"Message {index} has no content list.");

        prompt.Append(TurnStart).Append(role).Append('\n');
        foreach (var part in message.Content)
        {
            switch (part)
            {
                case TextContent text:
                    prompt.Append(text.Text ?? throw new InvalidPromptException($"Message {index} has a text part that is null."));
                    break;
                case ImageContent when message.Role == ChatRole.User:
                    prompt.Append(ImagePlaceholder);
                    break;
                case ImageContent:
                    throw new InvalidPromptException($"Message {index} ({role}) has an image; only user messages may have images.");
                default:
                    throw new InvalidPromptException($"Message {index} has an unsupported content part ({part?.GetType().Name ?? "null"}).");
            }
        }
        prompt.Append(TurnEnd);
    }
}
