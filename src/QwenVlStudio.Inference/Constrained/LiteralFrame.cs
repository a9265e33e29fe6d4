namespace QwenVlStudio.Inference.Constrained;

/// <summary>Matching one of a literal node's sorted candidates: [Lo, Hi) share the first <see cref="Matched"/> bytes read.</summary>
internal sealed record LiteralFrame(LiteralNode Node, int Lo, int Hi, int Matched) : Frame
{
    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        var (lo, hi) = ByteStrings.Narrow(Node.Candidates, Lo, Hi, Matched, b);
        if (lo == hi) return;
        // The last candidate fully matched: nothing can extend it, so the value is done (states converge, masks cache better).
        if (hi - lo == 1 && Node.Candidates[lo].Length == Matched + 1)
            ParseStack.Add(output, rest);
        else
            ParseStack.Add(output, ParseStack.Push(new LiteralFrame(Node, lo, hi, Matched + 1), rest));
    }

    /// <summary>The shortest candidate of the range sorts first: complete when it is exactly what was read.</summary>
    public override bool CanEnd => Node.Candidates[Lo].Length == Matched;
}
