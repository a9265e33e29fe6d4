namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// Where the document stands: the parser positions still possible (several while anyOf alternatives or literal
/// candidates both fit what was written; a null entry is a complete document). Immutable, with value equality,
/// so it keys the mask cache.
/// </summary>
internal sealed class ParserState : IEquatable<ParserState>
{
    private readonly ParseStack?[] _stacks;
    private readonly int _hash;

    private ParserState(ParseStack?[] stacks)
    {
        _stacks = stacks;
        var hash = new HashCode();
        foreach (var stack in stacks) hash.Add(stack);
        _hash = hash.ToHashCode();
    }

    public IReadOnlyList<ParseStack?> Stacks => _stacks;

    /// <summary>The document may end here.</summary>
    public bool CanFinish => _stacks.Any(ParseStack.CanFinish);

    /// <summary>Nothing more may be written: every position is a complete document.</summary>
    public bool IsComplete => _stacks.All(s => s is null);

    public static ParserState Start(SchemaNode root)
    {
        var stacks = new List<ParseStack?>();
        ParseStack.Begin(root, null, stacks);
        return new ParserState([.. stacks]);
    }

    public static ParserState Of(ParseStack? stack) => new([stack]);

    /// <summary>The state after byte <paramref name="b"/>, or null when no position accepts it.</summary>
    public ParserState? Advance(byte b)
    {
        var output = new List<ParseStack?>(_stacks.Length);
        foreach (var stack in _stacks) ParseStack.Advance(stack, b, output);
        return output.Count == 0 ? null : new ParserState([.. output]);
    }

    /// <summary>The state after <paramref name="bytes"/>, or null when they do not fit.</summary>
    public ParserState? Advance(ReadOnlySpan<byte> bytes)
    {
        ParserState? state = this;
        foreach (byte b in bytes)
        {
            state = state.Advance(b);
            if (state is null) return null;
        }
        return state;
    }

    public bool Equals(ParserState? other) => other is not null && _hash == other._hash && _stacks.AsSpan().SequenceEqual(other._stacks);

    public override bool Equals(object? obj) => Equals(obj as ParserState);

    public override int GetHashCode() => _hash;
}
