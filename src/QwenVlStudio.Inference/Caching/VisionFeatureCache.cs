using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Caching;

/// <summary>
/// Vision encoder outputs by owner and <see cref="ImageKey"/>, least recently used evicted first once the features held pass
/// <see cref="CapacityBytes"/>. Thread-safe. Features are immutable once made, so a hit hands out the same arrays.
/// A capacity of 0 disables the cache (every lookup is a miss and nothing is kept). Entries are per owner (a user or
/// API key; null is one anonymous share): a hit skips seconds of vision encoding, so a shared entry would tell one
/// user, by the answer's speed, that another had sent the same picture.
/// </summary>
public sealed class VisionFeatureCache
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Owner, ImageKey Image), LinkedListNode<((string Owner, ImageKey Image) Key, VisionFeatures Features)>> _index = [];
    private readonly LinkedList<((string Owner, ImageKey Image) Key, VisionFeatures Features)> _recency = new();
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _evictions;

    public VisionFeatureCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public CacheStats Stats
    {
        get
        {
            lock (_gate)
                return new CacheStats(_hits, _misses, _evictions, _index.Count, _bytes, CapacityBytes);
        }
    }

    /// <summary>Returns the cached features and marks them recently used, or counts a miss.</summary>
    public bool TryGet(string? owner, ImageKey image, out VisionFeatures features)
    {
        var key = (owner ?? "", image);
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                features = node.Value.Features;
                return true;
            }
            _misses++;
            features = null!;
            return false;
        }
    }

    /// <summary>
    /// Keeps <paramref name="features"/> (replacing an entry of the same key), then evicts least recently used
    /// entries until the total fits. Features larger than the whole capacity are not kept.
    /// </summary>
    public void Add(string? owner, ImageKey image, VisionFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var key = (owner ?? "", image);
        long size = features.SizeInBytes;
        lock (_gate)
        {
            if (_index.Remove(key, out var existing))
            {
                _recency.Remove(existing);
                _bytes -= existing.Value.Features.SizeInBytes;
            }
            if (size > CapacityBytes)
                return;
            _index[key] = _recency.AddFirst((key, features));
            _bytes += size;
            while (_bytes > CapacityBytes)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Features.SizeInBytes;
                _evictions++;
            }
        }
    }

    /// <summary>The owner's cached features of <paramref name="image"/>, or <paramref name="encode"/>'s result, kept for next time.</summary>
    public VisionFeatures GetOrAdd(string? owner, ImageKey image, Func<VisionFeatures> encode, out bool hit)
    {
        ArgumentNullException.ThrowIfNull(encode);
        hit = TryGet(owner, image, out var features);
        if (hit)
            return features;
        // Encoded outside the lock: vision takes seconds and other images must not wait for it. Two requests for
        // the same new image may both encode it; the second Add just replaces an identical entry.
        features = encode();
        Add(owner, image, features);
        return features;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _index.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }
}
