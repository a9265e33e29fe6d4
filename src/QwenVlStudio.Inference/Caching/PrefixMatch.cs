namespace QwenVlStudio.Inference.Caching;

/// <summary>
/// How many leading tokens two prompts share, counting an image's tokens as shared only when both hold the same
/// image there: all images of one size expand to identical runs of image-pad ids, so the ids alone cannot tell.
/// </summary>
internal static class PrefixMatch
{
    /// <param name="cachedKeys">Image keys of <paramref name="cachedIds"/>'s image-pad runs, in order.</param>
    /// <param name="promptKeys">Image keys of <paramref name="promptIds"/>'s image-pad runs, in order.</param>
    public static int Length(ReadOnlySpan<int> cachedIds, IReadOnlyList<ImageKey> cachedKeys,
        ReadOnlySpan<int> promptIds, IReadOnlyList<ImageKey> promptKeys, int imagePad)
    {
        int n = Math.Min(cachedIds.Length, promptIds.Length);
        int run = -1;
        for (int i = 0; i < n; i++)
        {
            if (cachedIds[i] != promptIds[i]) return i;
            if (cachedIds[i] != imagePad) continue;
            if (i == 0 || cachedIds[i - 1] != imagePad)
            {
                // A new image starts here; with an unknown identity on either side, nothing from here on is shared.
                run++;
                if (run >= cachedKeys.Count || run >= promptKeys.Count || cachedKeys[run] != promptKeys[run]) return i;
            }
        }
        return n;
    }
}
