using System.Diagnostics;

namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// One answer's progress through its constraint: masks the logits before each pick and follows the picked
/// token's bytes. Owned by one request (each row of a batch has its own), so not thread-safe.
/// </summary>
internal sealed class ConstraintCursor
{
    private readonly JsonConstraint _constraint;
    private readonly TokenVocabulary _vocabulary;
    private ParserState _state;

    public ConstraintCursor(JsonConstraint constraint, TokenVocabulary vocabulary, ParserState start)
    {
        _constraint = constraint;
        _vocabulary = vocabulary;
        _state = start;
    }

    /// <summary>Where the document stands now.</summary>
    public ParserState State => _state;

    /// <summary>Time spent computing or looking up masks (the benchmark reports it per token).</summary>
    public TimeSpan MaskTime { get; private set; }

    public int MaskCount { get; private set; }

    /// <summary>The document is complete: only end of sequence may follow.</summary>
    public bool IsComplete => _state.IsComplete;

    /// <summary>
    /// Sets every token the document cannot continue with to −∞. Returns true when end of sequence is the only
    /// choice left (the caller must then not mask it for min_new_tokens).
    /// </summary>
    public bool Mask(Span<float> logits)
    {
        long start = Stopwatch.GetTimestamp();
        var mask = _constraint.MaskOf(_vocabulary, _state);
        bool any = false;
        int size = Math.Min(logits.Length, _vocabulary.Size);
        for (int w = 0; w < mask.Length; w++)
        {
            ulong bits = mask[w];
            int baseId = w << 6;
            if (bits == ulong.MaxValue)
            {
                any = true;
                continue;
            }
            any |= bits != 0;
            int end = Math.Min(baseId + 64, size);
            for (int id = baseId; id < end; id++)
                if ((bits & (1UL << (id - baseId))) == 0) logits[id] = float.NegativeInfinity;
        }
        logits[size..].Fill(float.NegativeInfinity);
        MaskTime += Stopwatch.GetElapsedTime(start);
        MaskCount++;
        if (!any) throw new QwenVlException("constrained decoding reached a point where no token can continue the JSON document (the schema's bounds conflict)");
        return _state.IsComplete;
    }

    /// <summary>Follows the picked token. End of sequence ends the document (allowed only where it may end).</summary>
    public void Accept(int token)
    {
        if (_vocabulary.IsEndOfSequence(token)) return;
        var bytes = _vocabulary.BytesOf(token) ?? throw new InvalidOperationException($"token {token} was picked but the constraint never allows it");
        _state = _state.Advance(bytes) ?? throw new InvalidOperationException($"token {token} was picked but does not continue the JSON document");
    }
}
