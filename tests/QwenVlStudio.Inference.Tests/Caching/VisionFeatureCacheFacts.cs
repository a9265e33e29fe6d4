using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Tests.Caching;

public class VisionFeatureCacheFacts
{
    // 10 floats of features + 20 of DeepStack = 120 bytes per entry.
    private static VisionFeatures Features(float fill) => new(Enumerable.Repeat(fill, 10).ToArray(), new float[20], 5, 2, 2);

    private static ImageKey Key(int n) => new((UInt128)n);

    [Fact]
    public void TryGet_CountsMissThenHit_WhenEntryAdded()
    {
        var cache = new VisionFeatureCache(1000);
        var features = Features(1);

        Assert.False(cache.TryGet(null, Key(1), out _));
        cache.Add(null, Key(1), features);
        Assert.True(cache.TryGet(null, Key(1), out var found));

        Assert.Same(features, found);
        Assert.Equal(new CacheStats(1, 1, 0, 1, 120, 1000), cache.Stats);
        Assert.Equal(0.5, cache.Stats.HitRate);
    }

    [Fact]
    public void Add_EvictsLeastRecentlyUsed_WhenBytesExceedCapacity()
    {
        var cache = new VisionFeatureCache(360); // three entries
        cache.Add(null, Key(1), Features(1));
        cache.Add(null, Key(2), Features(2));
        cache.Add(null, Key(3), Features(3));
        Assert.True(cache.TryGet(null, Key(1), out _)); // 1 is now the most recent; 2 the least

        cache.Add(null, Key(4), Features(4));

        Assert.False(cache.TryGet(null, Key(2), out _));
        Assert.True(cache.TryGet(null, Key(1), out _));
        Assert.True(cache.TryGet(null, Key(3), out _));
        Assert.True(cache.TryGet(null, Key(4), out _));
        Assert.Equal(1, cache.Stats.Evictions);
        Assert.Equal(360, cache.Stats.Bytes);
    }

    [Fact]
    public void Add_KeepsNothing_WhenEntryIsLargerThanCapacity()
    {
        var cache = new VisionFeatureCache(100);

        cache.Add(null, Key(1), Features(1));

        Assert.False(cache.TryGet(null, Key(1), out _));
        Assert.Equal(0, cache.Stats.Bytes);
    }

    [Fact]
    public void Add_ReplacesEntryWithoutDoubleCounting_WhenKeyIsAddedAgain()
    {
        var cache = new VisionFeatureCache(1000);
        var newer = Features(2);

        cache.Add(null, Key(1), Features(1));
        cache.Add(null, Key(1), newer);

        Assert.True(cache.TryGet(null, Key(1), out var found));
        Assert.Same(newer, found);
        Assert.Equal(120, cache.Stats.Bytes);
        Assert.Equal(1, cache.Stats.Entries);
    }

    [Fact]
    public void GetOrAdd_EncodesOnlyOnce_WhenCalledTwiceForOneKey()
    {
        var cache = new VisionFeatureCache(1000);
        int encodes = 0;

        var first = cache.GetOrAdd(null, Key(7), () => { encodes++; return Features(7); }, out bool firstHit);
        var second = cache.GetOrAdd(null, Key(7), () => { encodes++; return Features(7); }, out bool secondHit);

        Assert.Equal(1, encodes);
        Assert.False(firstHit);
        Assert.True(secondHit);
        Assert.Same(first, second);
    }

    [Fact]
    public void GetOrAdd_AlwaysEncodes_WhenCapacityIsZero()
    {
        var cache = new VisionFeatureCache(0);
        int encodes = 0;

        cache.GetOrAdd(null, Key(1), () => { encodes++; return Features(1); }, out _);
        cache.GetOrAdd(null, Key(1), () => { encodes++; return Features(1); }, out bool hit);

        Assert.Equal(2, encodes);
        Assert.False(hit);
        Assert.Equal(2, cache.Stats.Misses);
    }

    [Fact]
    public void Constructor_Throws_WhenCapacityIsNegative() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VisionFeatureCache(-1));

    [Fact]
    public async Task Cache_StaysConsistent_WhenUsedFromManyThreads()
    {
        var cache = new VisionFeatureCache(120 * 8);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
                cache.GetOrAdd(null, Key((i * 7 + t) % 20), () => Features(i), out _);
        })));

        var stats = cache.Stats;
        Assert.Equal(8 * 2000, stats.Lookups);
        Assert.True(stats.Bytes <= 120 * 8);
        Assert.Equal(stats.Entries * 120, stats.Bytes);
    }

    [Fact]
    public void TryGet_MissesForAnotherOwner_SoNoOneLearnsWhatOthersSent()
    {
        var cache = new VisionFeatureCache(1000);
        cache.Add("alice", Key(1), Features(1));

        Assert.False(cache.TryGet("bob", Key(1), out _));
        Assert.False(cache.TryGet(null, Key(1), out _));
        Assert.True(cache.TryGet("alice", Key(1), out _));
    }

    [Fact]
    public void GetOrAdd_EncodesAgain_ForASecondOwnerOfTheSameImage()
    {
        var cache = new VisionFeatureCache(1000);
        int encodes = 0;

        cache.GetOrAdd("alice", Key(3), () => { encodes++; return Features(3); }, out _);
        cache.GetOrAdd("bob", Key(3), () => { encodes++; return Features(3); }, out bool bobHit);
        cache.GetOrAdd("bob", Key(3), () => { encodes++; return Features(3); }, out bool bobSecondHit);

        Assert.False(bobHit);
        Assert.True(bobSecondHit);
        Assert.Equal(2, encodes);
    }
}
