using System.Collections.Concurrent;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// The model's tokens as constrained decoding sees them: the bytes of every ordinary token in a trie (added
/// tokens, special or not, are never allowed; the end-of-sequence ids only where the document may end), and the
/// "plain" tokens that, inside a string, just add characters: most of the vocabulary, handled as one
/// precomputed mask so that string positions do not walk the whole trie. Built once per model; thread-safe.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly byte[]?[] _bytes;
    private readonly int[] _plainChars;
    private readonly ConcurrentDictionary<int, ulong[]> _plainMasks = new();
    private readonly int _longestPlain;

    /// <summary>The vocabulary of a model: its tokenizer's ordinary tokens and the model's end-of-sequence ids.</summary>
    public TokenVocabulary(QwenTokenizer tokenizer, IReadOnlyList<int> endOfSequence)
        : this(OrdinaryTokenBytes(tokenizer), endOfSequence)
    {
    }

    /// <summary>A vocabulary from each id's bytes (null: never allowed, as added tokens are).</summary>
    internal TokenVocabulary(byte[]?[] bytesById, IReadOnlyList<int> endOfSequence)
    {
        Size = bytesById.Length;
        EndOfSequence = endOfSequence.Where(id => id >= 0 && id < Size).Distinct().ToArray();
        _bytes = bytesById;
        _plainChars = new int[Size];
        var all = new List<(int, byte[])>(Size);
        var notPlain = new List<(int, byte[])>();
        var counting = new StringNode(0, int.MaxValue, null);
        var inString = ParserState.Of(ParseStack.Push(StringFrame.Open(counting) with { At = StringFrame.Phase.Content }, null));
        for (int id = 0; id < Size; id++)
        {
            _plainChars[id] = -1;
            if (bytesById[id] is not { Length: > 0 } bytes || EndOfSequence.Contains(id)) continue;
            all.Add((id, bytes));
            if (inString.Advance(bytes) is { Stacks: [{ Top: StringFrame { InPlainContent: true } after }] })
            {
                _plainChars[id] = after.Chars;
                _longestPlain = Math.Max(_longestPlain, after.Chars);
            }
            else
            {
                notPlain.Add((id, bytes));
            }
        }
        Trie = new TokenTrie(all);
        NotPlainTrie = new TokenTrie(notPlain);
        Words = (Size + 63) / 64;
    }

    private static byte[]?[] OrdinaryTokenBytes(QwenTokenizer tokenizer)
    {
        var added = tokenizer.AddedTokens.Select(t => t.Id).ToHashSet();
        var bytes = new byte[]?[tokenizer.VocabSize];
        for (int id = 0; id < bytes.Length; id++)
            if (!added.Contains(id)) bytes[id] = tokenizer.TokenBytes(id, skipSpecialTokens: false).ToArray();
        return bytes;
    }

    /// <summary>Token ids 0 … Size − 1 (the tokenizer's); the model's logits may be longer, and those ids are never allowed.</summary>
    public int Size { get; }

    /// <summary>Length of a mask in 64-bit words.</summary>
    public int Words { get; }

    public IReadOnlyList<int> EndOfSequence { get; }

    public TokenTrie Trie { get; }

    /// <summary>The tokens that are not plain string text (quotes, escapes, control bytes, partial UTF-8 …).</summary>
    public TokenTrie NotPlainTrie { get; }

    /// <summary>The bytes of an ordinary token; null for added tokens and ids without one.</summary>
    public byte[]? BytesOf(int id) => (uint)id < (uint)Size && !IsEndOfSequence(id) ? _bytes[id] : null;

    public bool IsEndOfSequence(int id) => EndOfSequence.Contains(id);

    /// <summary>The plain tokens of at most <paramref name="room"/> characters (cached per bound).</summary>
    public ulong[] PlainMask(int room)
    {
        int bound = Math.Min(room, _longestPlain);
        return _plainMasks.GetOrAdd(bound, b =>
        {
            var mask = new ulong[Words];
            for (int id = 0; id < Size; id++)
                if (_plainChars[id] >= 0 && _plainChars[id] <= b) mask[id >> 6] |= 1UL << (id & 63);
            return mask;
        });
    }
}
