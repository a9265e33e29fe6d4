using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// Builds the prompt ids the model is fed (model-package.md §3): the rendered prompt is tokenized and the i-th
/// <c>&lt;|image_pad|&gt;</c> is repeated N_i times, N_i being the number of merged tokens image i's vision features
/// have (grid t·h·w / merge_size²). Equal to HF's processor, which expands the pads in the text before tokenizing.
/// </summary>
public static class PromptTokens
{
    /// <summary>Renders <paramref name="messages"/> with <see cref="ChatTemplate"/> and builds their ids.</summary>
    public static int[] Build(QwenTokenizer tokenizer, IReadOnlyList<ChatMessage> messages, IReadOnlyList<int> imageTokenCounts,
        bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(imageTokenCounts);
        int images = messages.Sum(m => m?.Content?.OfType<ImageContent>().Count() ?? 0);
        if (images != imageTokenCounts.Count)
            throw new InvalidPromptException($"The conversation has {images} image(s) but {imageTokenCounts.Count} image token count(s) were given.");
        ArgumentNullException.ThrowIfNull(tokenizer);
        // Message text is tokenized with special tokens as plain text: only the template's own pieces are control tokens.
        return Expand(tokenizer, tokenizer.EncodePrompt(ChatTemplate.RenderPieces(messages, addGenerationPrompt)), imageTokenCounts);
    }

    /// <summary>
    /// Tokenizes an already rendered prompt, trusting every special token in it (as HF does), and expands its image
    /// placeholders, one count per placeholder, in order. For prompts built by the server, not for user text.
    /// </summary>
    public static int[] Build(QwenTokenizer tokenizer, string promptText, IReadOnlyList<int> imageTokenCounts)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(promptText);
        return Expand(tokenizer, tokenizer.Encode(promptText), imageTokenCounts);
    }

    private static int[] Expand(QwenTokenizer tokenizer, int[] ids, IReadOnlyList<int> imageTokenCounts)
    {
        ArgumentNullException.ThrowIfNull(imageTokenCounts);
        for (int i = 0; i < imageTokenCounts.Count; i++)
        {
            if (imageTokenCounts[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(imageTokenCounts), $"Image {i} has {imageTokenCounts[i]} tokens; every image has at least one.");
        }

        int placeholders = ids.Count(id => id == tokenizer.ImagePad);
        if (placeholders != imageTokenCounts.Count)
        {
            throw new InvalidPromptException(
                $"The prompt has {placeholders} image placeholder(s) but {imageTokenCounts.Count} image(s) were given; " +
                "message text must not contain <|image_pad|>.");
        }
        if (ids.Contains(tokenizer.VideoPad))
            throw new InvalidPromptException("The prompt contains <|video_pad|>, but video input is not supported.");

        long total = ids.Length - placeholders + imageTokenCounts.Sum(c => (long)c);
        var expanded = new int[checked((int)total)];
        int written = 0;
        int image = 0;
        foreach (int id in ids)
        {
            if (id == tokenizer.ImagePad)
            {
                int count = imageTokenCounts[image++];
                expanded.AsSpan(written, count).Fill(id);
                written += count;
            }
            else
            {
                expanded[written++] = id;
            }
        }
        return expanded;
    }
}
