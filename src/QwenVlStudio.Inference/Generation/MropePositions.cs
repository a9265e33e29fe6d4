namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// Multimodal RoPE position ids (t, h, w) of a prompt and its rope delta (model-package.md §8): text tokens
/// advance all three axes together; an image's tokens share t and spread h/w over its merged grid.
/// </summary>
public sealed record MropePositions(long[] Values, int SequenceLength, int RopeDelta)
{
    /// <summary>[3, S] row-major (t row, h row, w row): the decoder's position_ids for batch 1.</summary>
    public long[] Values { get; } = Values;

    /// <param name="ids">Expanded prompt ids.</param>
    /// <param name="imageGrids">(t, gh, gw) of each image in prompt order, in patch units.</param>
    public static MropePositions Compute(ReadOnlySpan<int> ids, IReadOnlyList<(int T, int H, int W)> imageGrids,
        int imageTokenId, int mergeSize)
    {
        int s = ids.Length;
        var pos = new long[3 * s];
        long p = 0;
        int image = 0;
        int i = 0;
        while (i < s)
        {
            if (ids[i] == imageTokenId)
            {
                if (image >= imageGrids.Count)
                    throw new InvalidPromptException($"the prompt has more image token runs than the {imageGrids.Count} images given");
                var (t, gh, gw) = imageGrids[image++];
                if (t != 1)
                    throw new InvalidPromptException("video grids (t > 1) are not supported");
                int h2 = gh / mergeSize, w2 = gw / mergeSize;
                int count = h2 * w2;
                if (i + count > s)
                    throw new InvalidPromptException($"image {image} needs {count} image tokens but the prompt ends after {s - i}");
                for (int j = 0; j < count; j++)
                {
                    pos[i + j] = p;
                    pos[s + i + j] = p + j / w2;
                    pos[2 * s + i + j] = p + j % w2;
                }
                i += count;
                p += Math.Max(h2, w2);
            }
            else
            {
                pos[i] = pos[s + i] = pos[2 * s + i] = p;
                p++;
                i++;
            }
        }
        if (image != imageGrids.Count)
            throw new InvalidPromptException($"{imageGrids.Count} images were given but the prompt has {image} image token runs");
        return new MropePositions(pos, s, checked((int)(p - s)));
    }

    /// <summary>Position of the token at absolute index <paramref name="index"/> ≥ S, equal on all three axes.</summary>
    public long DecodePosition(int index) => index + RopeDelta;

    /// <summary>
    /// These positions followed by <paramref name="length"/> − <see cref="SequenceLength"/> text positions after
    /// the prompt (index n at n + <see cref="RopeDelta"/> on all three axes, as decode steps place them): the
    /// positions of a prompt that continues with tokens already generated for it.
    /// </summary>
    public MropePositions Extended(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, SequenceLength);
        var values = new long[3 * length];
        for (int axis = 0; axis < 3; axis++)
        {
            Array.Copy(Values, axis * SequenceLength, values, axis * length, SequenceLength);
            for (int n = SequenceLength; n < length; n++) values[axis * length + n] = n + RopeDelta;
        }
        return new MropePositions(values, length, RopeDelta);
    }
}
