namespace QwenVlStudio.Inference.Constrained;

/// <summary>Bytewise ordering and prefix ranges of sorted byte strings (literal candidates, object keys).</summary>
internal static class ByteStrings
{
    public static readonly IComparer<byte[]> Comparer = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    public static readonly IEqualityComparer<byte[]> EqualityComparer = new ContentComparer();

    /// <summary>
    /// Within the sorted range [lo, hi) whose strings share their first <paramref name="matched"/> bytes, the
    /// sub-range whose next byte is <paramref name="next"/>; empty (lo == hi) when none has it.
    /// </summary>
    public static (int Lo, int Hi) Narrow(byte[][] sorted, int lo, int hi, int matched, byte next)
    {
        int newLo = lo;
        while (newLo < hi && (sorted[newLo].Length <= matched || sorted[newLo][matched] < next)) newLo++;
        int newHi = newLo;
        while (newHi < hi && sorted[newHi].Length > matched && sorted[newHi][matched] == next) newHi++;
        return (newLo, newHi);
    }

    private sealed class ContentComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
