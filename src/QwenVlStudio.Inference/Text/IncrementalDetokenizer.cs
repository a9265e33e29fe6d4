using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// Turns generated ids into text as they arrive. A byte-level token can end in the middle of a UTF-8 character
/// (CJK and emoji often span two or three tokens), so the bytes of an unfinished character are held back until the
/// tokens that complete it arrive; invalid sequences become U+FFFD exactly where <see cref="QwenTokenizer.Decode"/>
/// puts them. The concatenation of every <see cref="Append"/> result and <see cref="Flush"/> equals
/// <c>Decode(allIds, skipSpecialTokens)</c>. One instance per generated sequence; not thread-safe.
/// </summary>
public sealed class IncrementalDetokenizer
{
    // A held-back tail is at most the first 3 bytes of a 4-byte character.
    private readonly byte[] _pending = new byte[4];
    private readonly QwenTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private int _pendingCount;

    public IncrementalDetokenizer(QwenTokenizer tokenizer, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Whether bytes of an unfinished character are held back.</summary>
    public bool HasPendingBytes => _pendingCount > 0;

    /// <summary>Adds one token and returns the text completed by it (often empty while a character is unfinished).</summary>
    public string Append(int tokenId)
    {
        var tokenBytes = _tokenizer.TokenBytes(tokenId, _skipSpecialTokens);
        if (tokenBytes.IsEmpty)
            return "";
        return DecodeAvailable(tokenBytes, isFinal: false);
    }

    /// <summary>Ends the sequence: held-back bytes that never became a character are returned as U+FFFD.</summary>
    public string Flush() => _pendingCount == 0 ? "" : DecodeAvailable([], isFinal: true);

    private string DecodeAvailable(ReadOnlySpan<byte> tokenBytes, bool isFinal)
    {
        int total = _pendingCount + tokenBytes.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(total);
        char[] chars = ArrayPool<char>.Shared.Rent(total);
        try
        {
            _pending.AsSpan(0, _pendingCount).CopyTo(rented);
            tokenBytes.CopyTo(rented.AsSpan(_pendingCount));
            var input = rented.AsSpan(0, total);

            // With isFinalBlock false, a trailing prefix of a valid character is left unread (NeedMoreData) instead of
            // being replaced; every other invalid sequence is replaced just as a one-shot decode replaces it.
            var status = Utf8.ToUtf16(input, chars, out int bytesRead, out int charsWritten,
                replaceInvalidSequences: true, isFinalBlock: isFinal);
            if (status is not (OperationStatus.Done or OperationStatus.NeedMoreData))
                throw new InvalidOperationException($"UTF-8 decoding stopped with {status}");

            _pendingCount = total - bytesRead;
            input[bytesRead..].CopyTo(_pending);
            return new string(chars, 0, charsWritten);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
