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
/// <see cref="InvalidPromptException"/> instead. Text is inserted verbatim but, unlike HF, <see cref="RenderPieces"/>
/// keeps it apart from the control tokens the template inserts, so <see cref="PromptTokens"/> tokenizes a typed
/// <c>&lt;|im_end|&gt;</c> as plain text instead of letting a user end their turn and forge a system one.
/// </remarks>
public static class ChatTemplate
{
    /// <summary>What one image becomes in the prompt text; <see cref="PromptTokens"/> expands its pad token.</summary>
    public const string ImagePlaceholder = VisionStart + ImagePad + VisionEnd;

    private const string TurnStart = "<|im_start|>";
    private const string TurnEnd = "<|im_end|>";
    private const string VisionStart = "<|vision_start|>";
    private const string ImagePad = "<|image_pad|>";
    private const string VisionEnd = "<|vision_end|>";

    /// <summary>The prompt as one string (what HF's template renders); control tokens and text are no longer told apart.</summary>
    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        string.Concat(RenderPieces(messages, addGenerationPrompt).Select(p => p.Text));

    /// <summary>The prompt as control tokens and text pieces, in order; their concatenation is <see cref="Render"/>.</summary>
    public static List<PromptPiece> RenderPieces(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            throw new InvalidPromptException("The conversation has no messages.");

        var prompt = new List<PromptPiece>();
        for (int index = 0; index < messages.Count; index++)
        {
            var message = messages[index] ?? throw new InvalidPromptException($"Message {index} is null.");
            if (message.Role == ChatRole.System && index > 0)
                throw new InvalidPromptException($"Message {index} is a system message; only the first message may be one.");
            AppendTurn(prompt, message, index);
        }
        if (addGenerationPrompt)
            prompt.AddRange([PromptPiece.Control(TurnStart), PromptPiece.Plain("assistant\n")]);
        return prompt;
    }

    private static void AppendTurn(List<PromptPiece> prompt, ChatMessage message, int index)
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

        prompt.AddRange([PromptPiece.Control(TurnStart), PromptPiece.Plain(role + "\n")]);
        foreach (var part in message.Content)
        {
            switch (part)
            {
                case TextContent text:
                    var value = text.Text ?? throw new InvalidPromptException($"Message {index} has a text part that is null.");
                    if (UnicodeText.Problem(value) is { } problem)
                        throw new InvalidPromptException($"Message {index} {problem}.");
                    prompt.Add(PromptPiece.Plain(value));
                    break;
                case ImageContent when message.Role == ChatRole.User:
                    prompt.AddRange([PromptPiece.Control(VisionStart), PromptPiece.Control(ImagePad), PromptPiece.Control(VisionEnd)]);
                    break;
                case ImageContent:
                    throw new InvalidPromptException($"Message {index} ({role}) has an image; only user messages may have images.");
                default:
                    throw new InvalidPromptException($"Message {index} has an unsupported content part ({part?.GetType().Name ?? "null"}).");
            }
        }
        prompt.AddRange([PromptPiece.Control(TurnEnd), PromptPiece.Plain("\n")]);
    }
}
