namespace QwenVlStudio.Inference;

/// <summary>How to load a model: CPU threads per graph and the context bound. Set by the caller (the governor).</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Intra-op threads of the vision encoder session; 0 lets ONNX Runtime pick (all cores).</summary>
    public int VisionThreads { get; init; }

    /// <summary>Intra-op threads of the decoder and embedding sessions; 0 lets ONNX Runtime pick.</summary>
    public int DecoderThreads { get; init; }

    /// <summary>Most tokens (prompt + answer) a sequence may hold; 0 = the model's max_position_embeddings.</summary>
    public int MaxContextTokens { get; init; } = 32768;

    /// <summary>
    /// Whether idle ORT worker threads spin waiting for work. Spinning lowers latency for one user but burns
    /// CPU that concurrent sequences and the web host need, so a server turns it off.
    /// </summary>
    public bool AllowThreadSpinning { get; init; }

    /// <summary>Image pixel budget; null = the package's preprocessor_config.json values.</summary>
    public int? MinImagePixels { get; init; }

    public int? MaxImagePixels { get; init; }

    /// <summary>
    /// Most bytes of vision features kept for repeated images (LRU); 0 turns the cache off. One 512×512 image of
    /// the 2B model holds ≈ 8 MB of features (image + DeepStack), so the default keeps about 30 such images.
    /// </summary>
    public long VisionCacheBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Most bytes of finished sequences' KV caches kept for prefix reuse (LRU); 0 turns it off. The 2B model holds
    /// ≈ 224 KiB per token (28 layers × K and V × 8 heads × 128 × 4 B), so 1 GiB keeps ≈ 4,700 tokens.
    /// </summary>
    public long PrefixCacheBytes { get; init; } = 1L << 30;

    /// <summary>Most of <see cref="PrefixCacheBytes"/> one owner (user, API key) may hold, so no one crowds out the rest.</summary>
    public long PrefixCacheBytesPerOwner { get; init; } = 256L << 20;

    /// <summary>
    /// Whether a system turn's KV may be reused across owners. Off by default: a cache hit is visible in time to first
    /// token, so sharing tells one user which system prompts others use. Turn on when the system prompts are the
    /// operator's (the same for everyone); no text after the system turn is ever shared.
    /// </summary>
    public bool ShareSystemPromptPrefixes { get; init; }

    /// <summary>
    /// Bytes the running requests may need together (<see cref="Generation.MemoryEstimate"/>); a request that never
    /// fits is refused, one that does not fit now is refused as busy. 0 admits everything.
    /// </summary>
    public long MemoryBudgetBytes { get; init; }

    /// <summary>
    /// Above 1, one loop owns the decoder and decodes up to this many sequences per decoder call (dynamic batching);
    /// 1 runs each request on its own (concurrent requests then share the cores through separate decoder calls).
    /// </summary>
    public int MaxBatchSize { get; init; } = 1;
}
