namespace QwenVlStudio.Inference.Weights;

/// <summary>A tiny, fast, seedable generator: the same seed gives the same weights on every machine and .NET.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1], never 0 (safe for log).</summary>
    public float NextUnitOpen() => ((Next() >> 40) + 1) * (1.0f / (1UL << 24));

    public static ulong Mix(ulong a, ulong b) => new SplitMix64(a * 0x9E3779B97F4A7C15UL ^ b).Next();
}
