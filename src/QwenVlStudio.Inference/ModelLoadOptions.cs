namespace QwenVlStudio.Inference;

/// <summary>
/// How to load a model and run its engine core: CPU threads per graph, the context bound, cache sizes and the
/// scheduling policy of the one engine loop (rows, queue, token budget per turn, prefill chunk, vision workers).
/// Set by the caller (the web governor, the CLI); <see cref="Validate"/> is the one place its rules live.
/// </summary>
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

    /// <summary>
    /// Share of <see cref="PrefixCacheBytes"/> one owner (user, API key) may hold: enough for a few long
    /// conversations, never enough to push every other user's out.
    /// </summary>
    public double PrefixCacheOwnerShare { get; init; } = 0.25;

    /// <summary>Bytes of the prefix cache one owner may hold.</summary>
    public long PrefixCacheBytesPerOwner => (long)(PrefixCacheBytes * PrefixCacheOwnerShare);

    /// <summary>Sequences the engine loop holds at once (in vision, prefill or decode); the rest wait in its queue.</summary>
    public int MaxRunningSequences { get; init; } = 1;

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
    /// Most decoding sequences fed through one decoder call (≤ <see cref="MaxRunningSequences"/>); 1 decodes each
    /// running sequence in its own call, one after the other, on the same loop.
    /// </summary>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>Decoder graphs to run: Auto picks the fused ones when the package has onnx/fused.json.</summary>
    public GraphFormat GraphFormat { get; init; } = GraphFormat.Auto;

    /// <summary>
    /// Fused format: tokens one batch row's preallocated KV buffer holds (C); 0 = the context length. The buffers
    /// are reserved address space: only positions written cost memory, and a leaving row's pages go back to the OS.
    /// </summary>
    public int KvCapacityTokens { get; init; }

    /// <summary>Most prompt tokens of one sequence one prefill call runs, so a long prompt never needs more than one
    /// chunk's activations and a newcomer holds the running sequences up for at most one chunk.</summary>
    public int PrefillChunkTokens { get; init; } = 512;

    /// <summary>Requests allowed to wait per priority class; one more is refused with <see cref="EngineBusyException"/>.</summary>
    public int MaxQueueLength { get; init; } = 32;

    /// <summary>
    /// Tokens one loop turn may run through the decoder: one per decoding sequence, the rest for prompt chunks of
    /// newcomers. Bounds how long a newcomer's prefill holds up the running sequences' next token.
    /// </summary>
    public int StepTokenBudget { get; init; } = 512;

    /// <summary>Vision encodings of newcomers run at once, off the engine loop's thread.</summary>
    public int VisionWorkers { get; init; } = 1;

    /// <summary>Every rule these options break, as messages for people; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (VisionThreads < 0 || DecoderThreads < 0) errors.Add("Thread counts must be ≥ 0 (0 lets ONNX Runtime choose).");
        if (MaxContextTokens < 0) errors.Add("The context bound must be ≥ 0 (0 = the model's own).");
        if (VisionCacheBytes < 0 || PrefixCacheBytes < 0) errors.Add("Cache sizes must be ≥ 0 (0 turns a cache off).");
        if (!(PrefixCacheOwnerShare > 0 && PrefixCacheOwnerShare <= 1)) errors.Add("The per-owner prefix-cache share must be in (0, 1].");
        if (MaxRunningSequences < 1) errors.Add("Concurrent sequences must be ≥ 1.");
        if (MaxBatchSize < 1) errors.Add("Batch size must be ≥ 1.");
        if (MaxBatchSize > MaxRunningSequences) errors.Add("Batch size cannot exceed the number of concurrent sequences.");
        if (MaxQueueLength < 1) errors.Add("Queue length must be ≥ 1.");
        if (PrefillChunkTokens < 1) errors.Add("The prefill chunk must be ≥ 1 token.");
        if (KvCapacityTokens < 0) errors.Add("The KV capacity per row must be ≥ 0 (0 = the context length).");
        if (StepTokenBudget < MaxBatchSize) errors.Add("The token budget per loop turn must hold at least one token per batched sequence.");
        if (VisionWorkers < 1) errors.Add("Vision workers must be ≥ 1.");
        return errors;
    }

    /// <exception cref="ArgumentException">A rule of <see cref="Validate"/> is broken.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid engine options: " + string.Join(" ", errors));
    }
}
