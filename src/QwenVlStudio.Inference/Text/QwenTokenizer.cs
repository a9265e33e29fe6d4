using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// The Qwen byte-level BPE tokenizer of a model package, equal to Hugging Face tokenizers on <c>tokenizer.json</c>:
/// added tokens are cut out of the raw text first, the rest is NFC-normalized, split by the Qwen2 pattern
/// (<see cref="QwenPreTokenization"/>) and BPE-merged by Microsoft.ML.Tokenizers. No BOS/EOS is added.
/// Immutable after <see cref="Load"/> and safe to share between threads.
/// </summary>
public sealed class QwenTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly AddedTokenSplitter _addedTokenSplitter;
    private readonly AddedTokenSplitter _nonSpecialTokenSplitter;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string?[] _idToToken;
    private readonly byte[]?[] _idToBytes;
    private readonly bool[] _isSpecial;

    private QwenTokenizer(TokenizerFile file)
    {
        // Building the BPE merge table is the slowest step of loading; the decode tables are built meanwhile.
        var bpe = Task.Run(() => BpeTokenizer.Create(new BpeOptions(file.Vocabulary)
        {
            Merges = file.Merges,
            SpecialTokens = file.AddedTokens.ToDictionary(t => t.Content, t => t.Id),
            Normalizer = NfcNormalizer.Instance,
            PreTokenizer = QwenPreTokenizer.Instance,
            ByteLevel = true,
        }));
        AddedTokens = file.AddedTokens;
        _addedTokenSplitter = new AddedTokenSplitter(file.AddedTokens);
        _nonSpecialTokenSplitter = new AddedTokenSplitter([.. file.AddedTokens.Where(t => !t.Special)]);

        VocabSize = Math.Max(file.Vocabulary.Values.Max(), file.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        _tokenToId = new Dictionary<string, int>(file.Vocabulary, StringComparer.Ordinal);
        _idToToken = new string?[VocabSize];
        _idToBytes = new byte[]?[VocabSize];
        _isSpecial = new bool[VocabSize];
        foreach (var (token, id) in file.Vocabulary)
        {
            _idToToken[id] = token;
            _idToBytes[id] = DecoderBytes(token);
        }
        foreach (var token in file.AddedTokens)
        {
            _tokenToId[token.Content] = token.Id;
            _idToToken[token.Id] = token.Content;
            _idToBytes[token.Id] = DecoderBytes(token.Content);
            _isSpecial[token.Id] = token.Special;
        }

        EndOfText = RequiredId("<|endoftext|>");
        ImStart = RequiredId("<|im_start|>");
        ImEnd = RequiredId("<|im_end|>");
        VisionStart = RequiredId("<|vision_start|>");
        VisionEnd = RequiredId("<|vision_end|>");
        ImagePad = RequiredId("<|image_pad|>");
        VideoPad = RequiredId("<|video_pad|>");
        _bpe = bpe.GetAwaiter().GetResult();
    }

    /// <summary>Number of ids the tokenizer knows (highest id + 1): vocabulary plus added tokens.</summary>
    public int VocabSize { get; }

    /// <summary>The added tokens of tokenizer.json, in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary><c>&lt;|endoftext|&gt;</c>: padding, and a second end-of-sequence id of the generation config.</summary>
    public int EndOfText { get; }

    public int ImStart { get; }

    /// <summary><c>&lt;|im_end|&gt;</c>: the end of a chat turn, the model's EOS.</summary>
    public int ImEnd { get; }

    public int VisionStart { get; }

    public int VisionEnd { get; }

    /// <summary><c>&lt;|image_pad|&gt;</c>: the placeholder that image features replace.</summary>
    public int ImagePad { get; }

    public int VideoPad { get; }

    /// <summary>Reads <c>tokenizer.json</c> of a model package; throws <see cref="ModelPackageException"/> when it is missing or unsupported.</summary>
    public static QwenTokenizer Load(string packageDir)
    {
        ArgumentNullException.ThrowIfNull(packageDir);
        var file = TokenizerFile.Read(Path.Combine(packageDir, "tokenizer.json"));
        try
        {
            return new QwenTokenizer(file);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // Thrown by Microsoft.ML.Tokenizers for merges of unknown tokens, and by the tables for duplicate or negative ids.
            throw new ModelPackageException($"tokenizer.json in '{packageDir}' is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>Token ids of <paramref name="text"/>; added tokens such as <c>&lt;|im_start|&gt;</c> anywhere in it become their ids.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        AppendText(ids, text, _addedTokenSplitter);
        return [.. ids];
    }

    /// <summary>
    /// Token ids of a prompt in pieces: each control piece is exactly one special token; text pieces (consecutive ones
    /// joined, as HF sees them between two control tokens) are tokenized with special tokens' spellings as plain text.
    /// The non-special added tokens (<c>&lt;think&gt;</c>, tool-call tags) are still matched, as they are ordinary
    /// words of the model that carry no turn structure. Equal to <see cref="Encode(string)"/> of the joined text
    /// whenever the text pieces spell no special token.
    /// </summary>
    public int[] EncodePrompt(IReadOnlyList<PromptPiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var ids = new List<int>();
        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            if (!piece.IsControlToken)
            {
                text.Append(piece.Text);
                continue;
            }
            AppendText(ids, text.ToString(), _nonSpecialTokenSplitter);
            text.Clear();
            int id = TokenToId(piece.Text) ?? -1;
            if (!IsSpecial(id))
                throw new ArgumentException($"'{piece.Text}' is not a special token of this tokenizer.", nameof(pieces));
            ids.Add(id);
        }
        AppendText(ids, text.ToString(), _nonSpecialTokenSplitter);
        return [.. ids];
    }

    private void AppendText(List<int> ids, string text, AddedTokenSplitter splitter)
    {
        foreach (var segment in splitter.Split(text))
        {
            if (segment.Token is { } added)
                ids.Add(added.Id);
            else
                ids.AddRange(_bpe.EncodeToIds(text.AsSpan(segment.Start, segment.Length)));
        }
    }

    /// <summary>
    /// Text of <paramref name="ids"/>: their bytes joined and read as UTF-8, invalid sequences becoming U+FFFD.
    /// Ids without a token (the model's vocabulary is padded past the tokenizer's) add nothing, as in HF.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
            bytes.AddRange(TokenBytes(id, skipSpecialTokens));
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>The id of a token string as tokenizer.json spells it (byte-level form: "Ġworld" for " world"), or null.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenToId.TryGetValue(token, out int id) ? id : null;
    }

    /// <summary>The token string of an id as tokenizer.json spells it, or null for an id without a token.</summary>
    public string? IdToToken(int id) => id >= 0 && id < VocabSize ? _idToToken[id] : null;

    /// <summary>Whether <paramref name="id"/> is a special added token (those skipped by <c>skipSpecialTokens</c>).</summary>
    public bool IsSpecial(int id) => id >= 0 && id < VocabSize && _isSpecial[id];

    /// <summary>A detokenizer for streaming: text deltas that never split a character.</summary>
    public IncrementalDetokenizer CreateDetokenizer(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    /// <summary>The UTF-8 bytes an id stands for; empty for ids without a token and for skipped special tokens.</summary>
    internal ReadOnlySpan<byte> TokenBytes(int id, bool skipSpecialTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (id >= VocabSize || (skipSpecialTokens && _isSpecial[id]))
            return [];
        return _idToBytes[id];
    }

    /// <summary>
    /// What HF's ByteLevel decoder turns a token into: the bytes its characters stand for in the byte-level alphabet,
    /// or, when one character is outside that alphabet, the token's own UTF-8. Added tokens go through the same step,
    /// which for Qwen's ASCII control tokens gives their text unchanged.
    /// </summary>
    private static byte[] DecoderBytes(string token) => ByteLevelAlphabet.ToBytes(token) ?? Encoding.UTF8.GetBytes(token);

    private int RequiredId(string token) =>
        TokenToId(token) ?? throw new ModelPackageException($"tokenizer.json has no '{token}' token, which Qwen3-VL prompts need.");
}
