using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// Image features for a chunk of a prompt (model-package.md §7): image i's features fill the i-th run of image-pad
/// tokens and its DeepStack rows go to the same positions; only tokens [start, start + count) are written (to index
/// − start). The walk covers the whole prompt to know which image and row each position holds, and checks that the
/// prompt's image tokens match the images.
/// </summary>
internal static class PromptChunkFeatures
{
    /// <param name="embeds">[count, H]: the chunk's token embeddings, image rows overwritten.</param>
    /// <param name="deepstack">[K, count, H]: written at image positions only (the caller zeroes it).</param>
    public static void Scatter(ReadOnlySpan<int> ids, IReadOnlyList<VisionFeatures> images, int imagePad,
        Span<float> embeds, Span<float> deepstack, int start, int count, int h, int k)
    {
        int s = ids.Length, end = start + count;
        if (start < 0 || count < 0 || end > s)
            throw new ArgumentOutOfRangeException(nameof(count), $"tokens [{start}, {end}) of a {s}-token prompt");
        int image = 0, row = 0;
        for (int i = 0; i < s; i++)
        {
            if (ids[i] != imagePad) continue;
            if (image >= images.Count)
                throw new InvalidPromptException("the prompt has more image tokens than the images' features");
            var f = images[image];
            if (i >= start && i < end)
            {
                int at = i - start;
                f.ImageFeatures.AsSpan(row * h, h).CopyTo(embeds.Slice(at * h, h));
                for (int level = 0; level < k; level++)
                    f.DeepstackFeatures.AsSpan((level * f.TokenCount + row) * h, h).CopyTo(deepstack.Slice((level * count + at) * h, h));
            }
            if (++row == f.TokenCount)
            {
                row = 0;
                image++;
            }
        }
        if (image != images.Count || row != 0)
            throw new InvalidPromptException($"the prompt's image tokens do not match the {images.Count} images' token counts");
    }
}
