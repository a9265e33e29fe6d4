using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Tests.Caching;

/// <summary>The prefix cache's bookkeeping on small hand-made KV tensors (2 layers, 2 heads, head size 2).</summary>
public class PrefixCacheFacts
{
    private const int Pad = 9;
    private const int BytesPerToken = 4 * 2 * 2 * sizeof(float); // 4 tensors × 2 heads × head size 2

    /// <summary>Every value encodes (tensor, head, position, dim) so a copy can be checked exactly.</summary>
    private static KvCache Kv(int length)
    {
        var values = new Microsoft.ML.OnnxRuntime.OrtValue[4];
        for (int t = 0; t < 4; t++)
        {
            values[t] = KvTensors.Allocate(1, 2, length, 2);
            var data = values[t].GetTensorMutableDataAsSpan<float>();
            for (int h = 0; h < 2; h++)
                for (int p = 0; p < length; p++)
                    for (int d = 0; d < 2; d++)
                        data[(h * length + p) * 2 + d] = t * 1000 + h * 100 + p * 2 + d;
        }
        return KvCache.Adopt(values, length);
    }

    private static int[] Ids(params int[] ids) => ids;

    [Fact]
    public void Acquire_CopiesLongestSharedPrefix_WhenSeveralEntriesMatch()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("a", Ids(1, 2), [], Kv(2));
        cache.Add("a", Ids(1, 2, 3, 7, 8), [], Kv(5));

        using var prefix = cache.Acquire("a", Ids(1, 2, 3, 4, 5, 6), []);

        Assert.NotNull(prefix);
        Assert.Equal(3, prefix.Length);
        for (int t = 0; t < 4; t++)
        {
            var data = prefix.Values[t].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal([t * 1000 + 0, t * 1000 + 1, t * 1000 + 2, t * 1000 + 3, t * 1000 + 4, t * 1000 + 5,
                t * 1000 + 100, t * 1000 + 101, t * 1000 + 102, t * 1000 + 103, t * 1000 + 104, t * 1000 + 105], data);
        }
        Assert.Equal(1, cache.Stats.Hits);
        Assert.Equal(3, cache.ReusedTokens);
    }

    [Fact]
    public void Acquire_LeavesLastPromptTokenToPrefill_WhenPromptIsFullyCached()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add(null, Ids(1, 2, 3, 4), [], Kv(4));

        using var prefix = cache.Acquire(null, Ids(1, 2, 3), []);

        Assert.Equal(2, prefix!.Length);
    }

    [Fact]
    public void Acquire_CountsMiss_WhenNothingIsShared()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add(null, Ids(1, 2, 3), [], Kv(3));

        Assert.Null(cache.Acquire(null, Ids(5, 2, 3), []));
        Assert.Equal(1, cache.Stats.Misses);
        Assert.Equal(0, cache.Stats.Hits);
    }

    [Fact]
    public void Acquire_StopsBeforeImage_WhenImageKeyDiffers()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add(null, Ids(1, 2, Pad, Pad, 3), [new ImageKey(1)], Kv(5));

        using var prefix = cache.Acquire(null, Ids(1, 2, Pad, Pad, 3, 4), [new ImageKey(2)]);

        Assert.Equal(2, prefix!.Length);
    }

    [Fact]
    public void Add_DropsEntries_WhenNewEntryExtendsThem()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("a", Ids(1, 2, 3), [], Kv(3));
        cache.Add("a", Ids(1, 2, 3, 4, 5), [], Kv(5));

        Assert.Equal(1, cache.Stats.Entries);
        Assert.Equal(5 * BytesPerToken, cache.Stats.Bytes);
        Assert.Equal(0, cache.Stats.Evictions);
    }

    [Fact]
    public void Add_KeepsExistingEntry_WhenItAlreadyHoldsTheNewOne()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("a", Ids(1, 2, 3, 4, 5), [], Kv(5));
        cache.Add("a", Ids(1, 2, 3), [], Kv(3));

        Assert.Equal(1, cache.Stats.Entries);
        Assert.Equal(5 * BytesPerToken, cache.Stats.Bytes);
    }

    [Fact]
    public void Add_EvictsOnlyThatOwnersOldest_WhenOwnerExceedsItsShare()
    {
        using var cache = new PrefixCache(100 * BytesPerToken, 10 * BytesPerToken, Pad);
        cache.Add("other", Ids(50, 51, 52, 53), [], Kv(4));
        cache.Add("greedy", Ids(1, 2, 3, 4), [], Kv(4));
        cache.Add("greedy", Ids(5, 6, 7, 8), [], Kv(4));

        cache.Add("greedy", Ids(10, 11, 12, 13), [], Kv(4)); // 12 tokens > 10: greedy's oldest (1…) goes

        Assert.Equal(8 * BytesPerToken, cache.BytesOf("greedy"));
        Assert.Equal(4 * BytesPerToken, cache.BytesOf("other"));
        Assert.Null(cache.Acquire("greedy", Ids(1, 2, 3, 4), []));
        Assert.NotNull(cache.Acquire("greedy", Ids(5, 6, 7, 8), []));
        Assert.NotNull(cache.Acquire("other", Ids(50, 51, 52, 53), []));
        Assert.Equal(1, cache.Stats.Evictions);
    }

    [Fact]
    public void Add_EvictsLeastRecentlyUsed_WhenTotalExceedsCapacity()
    {
        using var cache = new PrefixCache(8 * BytesPerToken, 8 * BytesPerToken, Pad);
        cache.Add("a", Ids(1, 2, 3, 4), [], Kv(4));
        cache.Add("b", Ids(5, 6, 7, 8), [], Kv(4));
        cache.Acquire("a", Ids(1, 2, 3, 9), [])!.Dispose(); // "a" is now the most recent

        cache.Add("c", Ids(20, 21, 22, 23), [], Kv(4));

        Assert.Null(cache.Acquire("b", Ids(5, 6, 7, 8), []));
        Assert.NotNull(cache.Acquire("a", Ids(1, 2, 3, 4), []));
        Assert.Equal(8 * BytesPerToken, cache.Stats.Bytes);
    }

    [Fact]
    public void Add_KeepsNothing_WhenCacheIsOff()
    {
        using var cache = new PrefixCache(0, 0, Pad);
        cache.Add("a", Ids(1, 2, 3), [], Kv(3));

        Assert.Null(cache.Acquire("a", Ids(1, 2, 3, 4), []));
        Assert.Equal(0, cache.Stats.Entries);
    }

    [Fact]
    public void Add_Throws_WhenIdsDoNotMatchCacheLength()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);

        Assert.Throws<ArgumentException>(() => cache.Add("a", Ids(1, 2), [], Kv(3)));
        Assert.Equal(0, cache.Stats.Entries);
    }

    [Fact]
    public void Acquire_NeverHitsAnotherOwnersEntry_SoTimeToFirstTokenTellsNothing()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("alice", Ids(1, 2, 3, 4, 5), [], Kv(5));

        Assert.Null(cache.Acquire("bob", Ids(1, 2, 3, 4, 5, 6), []));
        Assert.Null(cache.Acquire(null, Ids(1, 2, 3, 4, 5, 6), []));
        using var own = cache.Acquire("alice", Ids(1, 2, 3, 4, 5, 6), []);
        Assert.Equal(5, own!.Length);
    }

    [Fact]
    public void Add_KeepsAnotherOwnersEntry_ThatTheNewOneExtends()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("alice", Ids(1, 2, 3), [], Kv(3));
        cache.Add("bob", Ids(1, 2, 3, 4), [], Kv(4));

        Assert.Equal(2, cache.Stats.Entries);
        Assert.Equal(3 * BytesPerToken, cache.BytesOf("alice"));
    }

    [Fact]
    public void Acquire_SharesOnlyTheSystemTurn_WhenSharingSystemPromptsIsOn()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad, shareSystemPrompts: true);
        // tokens 1..3 are the system turn, 4..6 alice's question and answer
        cache.Add("alice", Ids(1, 2, 3, 4, 5, 6), [], Kv(6), systemPrefixLength: 3);

        using var bob = cache.Acquire("bob", Ids(1, 2, 3, 4, 5, 6, 7), []);
        using var alice = cache.Acquire("alice", Ids(1, 2, 3, 4, 5, 6, 7), []);

        Assert.Equal(3, bob!.Length);
        Assert.Equal(6, alice!.Length);
        Assert.Equal(0, cache.BytesOf("bob"));
    }

    [Fact]
    public void Add_SharesNothing_WhenSharingSystemPromptsIsOff()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad);
        cache.Add("alice", Ids(1, 2, 3, 4, 5, 6), [], Kv(6), systemPrefixLength: 3);

        Assert.Null(cache.Acquire("bob", Ids(1, 2, 3, 4, 5, 6, 7), []));
        Assert.Equal(1, cache.Stats.Entries);
    }

    [Fact]
    public void Add_KeepsOneSharedCopy_OfASystemTurnManyOwnersSend()
    {
        using var cache = new PrefixCache(1 << 20, 1 << 20, Pad, shareSystemPrompts: true);
        cache.Add("alice", Ids(1, 2, 3, 4), [], Kv(4), systemPrefixLength: 3);
        cache.Add("bob", Ids(1, 2, 3, 8), [], Kv(4), systemPrefixLength: 3);

        Assert.Equal(3, cache.Stats.Entries); // alice's, bob's and one shared system turn
        Assert.Equal((4 + 4 + 3) * BytesPerToken, cache.Stats.Bytes);
    }
}
