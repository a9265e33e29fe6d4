using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// The sequences the engine loop decodes together and their KV storage: the one seam between the loop (which
/// decides who runs) and a decoder format (legacy concatenated KV, or the fused graphs' preallocated buffers).
/// Used by the loop thread only. A row is joined, prefilled in chunks of at most a token budget, then stepped one
/// token at a time together with every other decoding row, and finally leaves.
/// </summary>
internal interface IDecodeBatch : IDisposable
{
    /// <summary>Most rows held at once (prefilling and decoding together).</summary>
    int MaxRows { get; }

    /// <summary>Rows held now.</summary>
    int Count { get; }

    /// <summary>Bytes of KV storage in use (for statistics and memory admission).</summary>
    long KvBytes { get; }

    /// <summary>
    /// Gives <paramref name="prompt"/> a row. <paramref name="prefix"/> (owned from now on, disposed by the batch)
    /// holds the KV of the prompt's first <c>prefix.Length</c> tokens; only the rest is prefilled.
    /// Throws <see cref="InvalidOperationException"/> when <see cref="Count"/> = <see cref="MaxRows"/>.
    /// </summary>
    DecodeRow Join(PreparedPrompt prompt, KvCache? prefix);

    /// <summary>
    /// Runs the row's next at most <paramref name="maxTokens"/> not yet prefilled prompt tokens through the decoder
    /// (one call). Returns true when the whole prompt is in; <see cref="Logits"/> then holds the next-token logits.
    /// </summary>
    bool Prefill(DecodeRow row, int maxTokens);

    /// <summary>
    /// One decoder call that feeds each listed (fully prefilled) row its token; afterwards <see cref="Logits"/> of
    /// each of them holds the logits for the token after it.
    /// </summary>
    void Step(IReadOnlyList<(DecodeRow Row, int Token)> feeds);

    /// <summary>The row's newest logits [V], editable in place (penalties, masks) until the row's next call.</summary>
    Span<float> Logits(DecodeRow row);

    /// <summary>A copy of the row's KV (all <see cref="DecodeRow.Length"/> positions) for the prefix cache.</summary>
    KvCache CopyKv(DecodeRow row);

    /// <summary>Frees the row (its storage may be reused or returned to the OS).</summary>
    void Leave(DecodeRow row);
}

/// <summary>One sequence's place in an <see cref="IDecodeBatch"/>: what its KV holds so far.</summary>
internal sealed class DecodeRow
{
    private readonly int[] _ids;

    public DecodeRow(PreparedPrompt prompt, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, prompt.Ids.Length);
        Prompt = prompt;
        _ids = new int[capacity];
    }

    public PreparedPrompt Prompt { get; }

    /// <summary>Tokens whose keys and values the row's KV holds (prompt tokens prefilled, then fed tokens).</summary>
    public int Length { get; private set; }

    /// <summary>Whether every prompt token is in the KV.</summary>
    public bool IsPrefilled => Length >= Prompt.Ids.Length;

    /// <summary>Most tokens the row may hold.</summary>
    public int Capacity => _ids.Length;

    /// <summary>The tokens in the KV, in order.</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Length);

    /// <summary>MRoPE rope delta of the prompt: the token at index n ≥ prompt length decodes at position n + delta.</summary>
    public int RopeDelta => Prompt.Positions.RopeDelta;

    /// <summary>Implementation state of the batch that holds the row (slot index, buffers).</summary>
    public object? Storage { get; set; }

    /// <summary>Records that the next <paramref name="count"/> prompt tokens are now in the KV.</summary>
    public void AdvancePrompt(int count)
    {
        if (count < 0 || Length + count > Prompt.Ids.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} prompt tokens after {Length} of {Prompt.Ids.Length}");
        Prompt.Ids.AsSpan(Length, count).CopyTo(_ids.AsSpan(Length));
        Length += count;
    }

    /// <summary>Records that <paramref name="token"/> went through the decoder into the KV.</summary>
    public void Fed(int token)
    {
        if (!IsPrefilled) throw new InvalidOperationException("the prompt is not prefilled yet");
        if (Length >= _ids.Length) throw new InvalidOperationException($"the row is full ({_ids.Length} tokens)");
        _ids[Length++] = token;
    }
}
