namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A JSON string: valid UTF-8 only (no overlong forms or surrogates), control characters escaped, <c>\u</c>
/// escapes outside the surrogate range. <see cref="Chars"/> counts code points when a length bound needs it.
/// With a pattern, only printable ASCII without escapes, run through the pattern's automaton.
/// </summary>
internal sealed record StringFrame(StringNode Node, StringFrame.Phase At, int Chars, int Pending, byte ContinuationLow,
    byte ContinuationHigh, int PatternState) : Frame
{
    public enum Phase { Open, Content, Escape, Hex1, Hex2, Hex3, Hex4 }

    public static StringFrame Open(StringNode node) =>
        new(node, Phase.Open, 0, 0, 0x80, 0xBF, node.Pattern?.StartState ?? 0);

    /// <summary>In content with no escape or multi-byte character under way, and no pattern: the state plain text keeps.</summary>
    public bool InPlainContent => At == Phase.Content && Pending == 0 && Node.Pattern is null;

    /// <summary>Characters the string may still take (int.MaxValue: no bound).</summary>
    public int Room => Node.MaxLength is int max ? max - Chars : int.MaxValue;

    public override void Feed(byte b, ParseStack? rest, List<ParseStack?> output)
    {
        if (At == Phase.Content && b == '"' && Pending == 0)
        {
            if (Chars >= Node.MinLength && (Node.Pattern is not { } pattern || pattern.IsAccepting(PatternState)))
                ParseStack.Add(output, rest);
            return;
        }
        if (Next(b) is { } next) ParseStack.Add(output, ParseStack.Push(next, rest));
    }

    private StringFrame? Next(byte b) => At switch
    {
        Phase.Open => b == '"' ? this with { At = Phase.Content } : null,
        Phase.Content when Node.Pattern is { } pattern => PatternChar(pattern, b),
        Phase.Content when Pending > 0 => b >= ContinuationLow && b <= ContinuationHigh
            ? this with { Pending = Pending - 1, ContinuationLow = 0x80, ContinuationHigh = 0xBF }
            : null,
        Phase.Content => ContentByte(b),
        Phase.Escape => b switch
        {
            (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' => this with { At = Phase.Content },
            (byte)'u' => this with { At = Phase.Hex1 },
            _ => null,
        },
        // \uD800–\uDFFF would need a surrogate pair; leaving them out keeps every escape one whole character.
        Phase.Hex1 => IsHex(b) && b is not ((byte)'d' or (byte)'D') ? this with { At = Phase.Hex2 } : null,
        Phase.Hex2 => IsHex(b) ? this with { At = Phase.Hex3 } : null,
        Phase.Hex3 => IsHex(b) ? this with { At = Phase.Hex4 } : null,
        Phase.Hex4 => IsHex(b) ? this with { At = Phase.Content } : null,
        _ => null,
    };

    private StringFrame? ContentByte(byte b)
    {
        if (b < 0x20 || b == '"') return null;
        if (Room <= 0) return null;
        var counted = Node.CountsCharacters ? this with { Chars = Chars + 1 } : this;
        return b switch
        {
            (byte)'\\' => counted with { At = Phase.Escape },
            < 0x80 => counted,
            >= 0xC2 and <= 0xDF => counted with { Pending = 1 },
            0xE0 => counted with { Pending = 2, ContinuationLow = 0xA0 },
            0xED => counted with { Pending = 2, ContinuationHigh = 0x9F },
            >= 0xE1 and <= 0xEF => counted with { Pending = 2 },
            0xF0 => counted with { Pending = 3, ContinuationLow = 0x90 },
            >= 0xF1 and <= 0xF3 => counted with { Pending = 3 },
            0xF4 => counted with { Pending = 3, ContinuationHigh = 0x8F },
            _ => null,
        };
    }

    private StringFrame? PatternChar(StringPattern pattern, byte b)
    {
        if (!PatternParser.IsPatternChar(b) || Room <= 0) return null;
        int next = pattern.Move(PatternState, b);
        if (next == StringPattern.Dead || pattern.MinCharsToAccept(next) > Room - 1) return null;
        return this with { PatternState = next, Chars = Node.CountsCharacters ? Chars + 1 : Chars };
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
}
