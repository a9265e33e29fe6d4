namespace QwenVlStudio.Inference.Text;

/// <summary>
/// The check every piece of text passes before it is tokenized: no lone surrogate (half of a UTF-16 pair) and none of
/// the noncharacters U+FFFE / U+FFFF, which .NET's normalization refuses (NFC is the tokenizer's first step) and which
/// no real text contains.
/// </summary>
public static class UnicodeText
{
    /// <summary>The index of the first invalid character of <paramref name="text"/>, or -1 when it is all valid.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\uFFFE' or '\uFFFF')
                return i;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return i;
        }
        return -1;
    }

    /// <summary>Null when <paramref name="text"/> is valid, else a sentence naming the first bad character and where it is.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        int at = IndexOfInvalid(text);
        if (at < 0)
            return null;
        string what = char.IsSurrogate(text[at]) ? "a lone surrogate" : "the noncharacter";
        return $"contains {what} U+{(int)text[at]:X4} at character {at}, which is not valid Unicode text";
    }
}
