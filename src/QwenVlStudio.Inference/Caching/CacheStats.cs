namespace QwenVlStudio.Inference.Caching;

/// <summary>A cache's counters since the engine was loaded, and what it holds now.</summary>
public sealed record CacheStats(long Hits, long Misses, long Evictions, int Entries, long Bytes, long CapacityBytes)
{
    public static CacheStats Disabled { get; } = new(0, 0, 0, 0, 0, 0);

    public long Lookups => Hits + Misses;

    /// <summary>Hits per lookup in [0, 1]; 0 before the first lookup.</summary>
    public double HitRate => Lookups == 0 ? 0 : (double)Hits / Lookups;
}
