namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// An immutable parser position: the innermost value being read and what continues once it is complete (null:
/// the document is complete). Value equality, so equal positions share one cached token mask.
/// </summary>
internal sealed record ParseStack(Frame Top, ParseStack? Rest)
{
    public int Depth { get; } = (Rest?.Depth ?? 0) + 1;

    public static ParseStack Push(Frame top, ParseStack? rest) => new(top, rest);

    /// <summary>Feeds one byte to <paramref name="stack"/>; frames whose value may end here also let the byte through to what follows.</summary>
    public static void Advance(ParseStack? stack, byte b, List<ParseStack?> output)
    {
        if (stack is null) return; // a complete document takes no more bytes
        stack.Top.Feed(b, stack.Rest, output);
        if (stack.Top.CanEnd) Advance(stack.Rest, b, output);
    }

    /// <summary>Whether the document may end here (end of sequence allowed).</summary>
    public static bool CanFinish(ParseStack? stack) => stack is null || (stack.Top.CanEnd && CanFinish(stack.Rest));

    /// <summary>Starts reading a value of <paramref name="node"/> on top of <paramref name="rest"/>: one stack per alternative.</summary>
    public static void Begin(SchemaNode node, ParseStack? rest, List<ParseStack?> output)
    {
        switch (node)
        {
            case UnionNode union:
                foreach (var alternative in union.Alternatives) Begin(alternative, rest, output);
                break;
            case AnyValueNode:
                Add(output, Push(AnyValueFrame.Instance, rest));
                break;
            case StringNode s:
                Add(output, Push(StringFrame.Open(s), rest));
                break;
            case NumberNode n:
                Add(output, Push(new NumberFrame(n.Integer, NumberFrame.Phase.Start, 0, n.Bounded ? n : null), rest));
                break;
            case LiteralNode l:
                Add(output, Push(new LiteralFrame(l, 0, l.Candidates.Length, 0), rest));
                break;
            case ObjectNode o:
                Add(output, Push(ObjectFrame.Open(o), rest));
                break;
            case ArrayNode a:
                Add(output, Push(ArrayFrame.Open(a), rest));
                break;
            default:
                throw new InvalidOperationException($"no frame for {node.GetType().Name}");
        }
    }

    /// <summary>Starts a value of <paramref name="node"/> with its first byte <paramref name="b"/>.</summary>
    public static void BeginWith(SchemaNode node, ParseStack? rest, byte b, List<ParseStack?> output)
    {
        var started = new List<ParseStack?>(2);
        Begin(node, rest, started);
        foreach (var stack in started) Advance(stack, b, output);
    }

    /// <summary>Adds a stack unless an equal one is there (alternatives of anyOf often converge).</summary>
    public static void Add(List<ParseStack?> output, ParseStack? stack)
    {
        if (!output.Contains(stack)) output.Add(stack);
    }
}

/// <summary>One value being read: a string, number, literal, object or array and how far it has got.</summary>
internal abstract record Frame
{
    /// <summary>Most whitespace bytes in a row between tokens, so the model cannot loop on spaces.</summary>
    public const int MaxWhitespaceRun = 8;

    /// <summary>Adds the stacks that reading <paramref name="b"/> leads to (none: the byte is not allowed here).</summary>
    public abstract void Feed(byte b, ParseStack? rest, List<ParseStack?> output);

    /// <summary>True where the value may be complete without a closing byte of its own (numbers, literals).</summary>
    public virtual bool CanEnd => false;

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r';
}
