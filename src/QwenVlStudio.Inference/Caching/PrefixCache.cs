using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Caching;

/// <summary>
/// KV caches of finished sequences (their prompt and answer tokens), so that a later prompt starting with the same
/// tokens — the next turn of a conversation, another request with the same system prompt and image — prefills only
/// what is new. Bounded by bytes overall and per owner (so one user's long chats cannot push everyone else out);
/// least recently used entries go first. Entries are never handed out: a hit gets a copy of the shared positions,
/// so entries stay immutable and any number of requests may start from one. Thread-safe.
/// </summary>
/// <remarks>
/// A hit is only ever served from the same owner's entries: a hit is seconds faster than a miss, so a cache shared
/// between users would tell one user, by time to first token, whether another had sent a given text or image.
/// With <see cref="ShareSystemPrompts"/> on, the system turn alone (the operator's text in most deployments) is also
/// kept in one shared pool that every owner may start from; nothing after it is ever shared.
/// </remarks>
public sealed class PrefixCache : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, long> _ownerBytes = [];
    private readonly int _imagePad;

    /// <summary>The owner key of the shared system-prompt pool; no owner id (a user or key id, or "") can equal it.</summary>
    private const string SharedPool = "\0shared-system-prompts";
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _reusedTokens;

    public PrefixCache(long capacityBytes, long perOwnerBytes, int imagePad, bool shareSystemPrompts = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(perOwnerBytes);
        CapacityBytes = capacityBytes;
        PerOwnerBytes = Math.Min(perOwnerBytes, capacityBytes);
        _imagePad = imagePad;
        ShareSystemPrompts = shareSystemPrompts;
    }

    /// <summary>Whether system-turn prefixes are also kept in a pool every owner may hit (see remarks).</summary>
    public bool ShareSystemPrompts { get; }

    public long CapacityBytes { get; }

    /// <summary>Most bytes the entries of one owner may hold.</summary>
    public long PerOwnerBytes { get; }

    public bool Enabled => CapacityBytes > 0;

    public CacheStats Stats
    {
        get
        {
            lock (_gate)
                return new CacheStats(_hits, _misses, _evictions, _recency.Count, _bytes, CapacityBytes);
        }
    }

    /// <summary>Prompt tokens served from the cache instead of being prefilled, since load.</summary>
    public long ReusedTokens => Interlocked.Read(ref _reusedTokens);

    /// <summary>Bytes held for <paramref name="owner"/> (null: the anonymous share).</summary>
    public long BytesOf(string? owner)
    {
        lock (_gate)
            return _ownerBytes.GetValueOrDefault(OwnerKey(owner));
    }

    /// <summary>
    /// Finds the entry of <paramref name="owner"/> (or of the shared system-prompt pool) sharing the longest prefix
    /// with the prompt (at most all but its last token, which must be prefilled to get logits) and returns a copy of
    /// that many positions, or null when nothing is shared.
    /// </summary>
    internal KvCache? Acquire(string? owner, ReadOnlySpan<int> promptIds, IReadOnlyList<ImageKey> promptKeys)
    {
        if (!Enabled) return null;
        var key = OwnerKey(owner);
        lock (_gate)
        {
            Entry? best = null;
            int bestLength = 0;
            foreach (var entry in _recency)
            {
                if (entry.Owner != key && !(ShareSystemPrompts && entry.Owner == SharedPool))
                    continue;
                int shared = PrefixMatch.Length(entry.Ids, entry.ImageKeys, promptIds, promptKeys, _imagePad);
                shared = Math.Min(shared, promptIds.Length - 1);
                if (shared > bestLength)
                {
                    best = entry;
                    bestLength = shared;
                }
            }
            if (best is null)
            {
                _misses++;
                return null;
            }
            _hits++;
            _reusedTokens += bestLength;
            Touch(best);
            // Copied under the lock: an eviction must not free the tensors mid-copy. A copy is a few ms even at 2B
            // size (≈ 224 KiB per token), far below prefilling the same tokens.
            return best.Kv.CopyPrefix(bestLength);
        }
    }

    /// <summary>
    /// Keeps a finished sequence's cache (ownership passes to the cache; it is disposed if not kept).
    /// <paramref name="ids"/> are the tokens whose keys and values it holds, <paramref name="imageKeys"/> the
    /// images of its image-pad runs. Entries of the same owner the new one extends are dropped.
    /// <paramref name="systemPrefixLength"/> (0: none) is how many leading tokens are the system turn, which
    /// <see cref="ShareSystemPrompts"/> also keeps in the shared pool.
    /// </summary>
    internal void Add(string? owner, int[] ids, IReadOnlyList<ImageKey> imageKeys, KvCache kv, int systemPrefixLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(systemPrefixLength);
        if (ShareSystemPrompts && systemPrefixLength > 0 && systemPrefixLength <= ids.Length && Enabled && ids.Length == kv.Length)
            AddShared(ids[..systemPrefixLength], kv);
        Keep(OwnerKey(owner), ids, imageKeys, kv);
    }

    /// <summary>Adds a copy of the system turn to the shared pool unless it holds those tokens already.</summary>
    private void AddShared(int[] systemIds, KvCache kv)
    {
        lock (_gate)
        {
            foreach (var entry in _recency)
            {
                if (entry.Owner == SharedPool && entry.Ids.AsSpan().SequenceEqual(systemIds))
                {
                    Touch(entry);
                    return;
                }
            }
        }
        Keep(SharedPool, systemIds, [], kv.CopyPrefix(systemIds.Length));
    }

    private void Keep(string key, int[] ids, IReadOnlyList<ImageKey> imageKeys, KvCache kv)
    {
        if (ids.Length != kv.Length)
        {
            kv.Dispose();
            throw new ArgumentException($"{ids.Length} ids for a cache of {kv.Length} positions", nameof(ids));
        }
        long size = kv.SizeInBytes;
        if (!Enabled || size > PerOwnerBytes || ids.Length == 0)
        {
            kv.Dispose();
            return;
        }
        var entry = new Entry(key, ids, imageKeys.ToArray(), kv, size);
        lock (_gate)
        {
            foreach (var other in _recency.Where(e => e.Owner == key).ToList())
            {
                int shared = PrefixMatch.Length(other.Ids, other.ImageKeys, ids, entry.ImageKeys, _imagePad);
                if (shared == other.Ids.Length)
                {
                    Remove(other); // the new entry holds all of it
                }
                else if (shared == ids.Length)
                {
                    // An existing entry already holds all of the new one: keep that, refreshed.
                    Touch(other);
                    kv.Dispose();
                    return;
                }
            }
            entry.Node = _recency.AddFirst(entry);
            _bytes += size;
            _ownerBytes[key] = _ownerBytes.GetValueOrDefault(key) + size;
            while (_ownerBytes[key] > PerOwnerBytes)
                Evict(_recency.Reverse().First(e => e.Owner == key));
            while (_bytes > CapacityBytes)
                Evict(_recency.Last!.Value);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            foreach (var entry in _recency.ToList()) Remove(entry);
        }
    }

    public void Dispose() => Clear();

    private static string OwnerKey(string? owner) => owner ?? "";

    private void Touch(Entry entry)
    {
        _recency.Remove(entry.Node!);
        _recency.AddFirst(entry.Node!);
    }

    private void Evict(Entry entry)
    {
        Remove(entry);
        _evictions++;
    }

    private void Remove(Entry entry)
    {
        _recency.Remove(entry.Node!);
        _bytes -= entry.Bytes;
        long left = _ownerBytes[entry.Owner] - entry.Bytes;
        if (left == 0) _ownerBytes.Remove(entry.Owner);
        else _ownerBytes[entry.Owner] = left;
        entry.Kv.Dispose();
    }

    private sealed class Entry(string owner, int[] ids, ImageKey[] imageKeys, KvCache kv, long bytes)
    {
        public string Owner { get; } = owner;
        public int[] Ids { get; } = ids;
        public ImageKey[] ImageKeys { get; } = imageKeys;
        public KvCache Kv { get; } = kv;
        public long Bytes { get; } = bytes;
        public LinkedListNode<Entry>? Node { get; set; }
    }
}
