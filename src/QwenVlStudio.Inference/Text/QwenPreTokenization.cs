using System.Globalization;
using System.Text;

namespace QwenVlStudio.Inference.Text;

/// <summary>
/// Splits text into pre-tokens exactly like the Qwen2 pattern of <c>tokenizer.json</c> (<see cref="Pattern"/>) does
/// in Hugging Face tokenizers, but over Unicode scalar values. .NET's Regex works on UTF-16 code units, so
/// <c>\p{L}</c> and <c>\p{N}</c> never match characters outside the BMP (emoji, CJK extension B, math letters such as
/// 𝐀); a hand-written matcher over <see cref="Rune"/>s avoids that and is faster than the regex.
/// </summary>
/// <remarks>
/// The pattern's alternatives are tried in order at each position, as a backtracking regex does:
/// <list type="number">
/// <item><c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> English contractions, any case;</item>
/// <item><c>[^\r\n\p{L}\p{N}]?\p{L}+</c> a letter run with at most one leading non-letter, non-digit, non-line-break;</item>
/// <item><c>\p{N}</c> one number character;</item>
/// <item><c> ?[^\s\p{L}\p{N}]+[\r\n]*</c> a symbol run with an optional leading space and trailing line breaks;</item>
/// <item><c>\s*[\r\n]+</c> whitespace up to and including its last line break;</item>
/// <item><c>\s+(?!\S)</c> whitespace not followed by text (all but its last character when text follows);</item>
/// <item><c>\s+</c> the remaining whitespace.</item>
/// </list>
/// Every character falls under one of them, so the pieces always cover the whole input.
/// </remarks>
internal static class QwenPreTokenization
{
    /// <summary>The Split pattern of Qwen2/Qwen2.5/Qwen3 tokenizers, which this class implements.</summary>
    public const string Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private enum CharClass
    {
        Letter,
        Number,
        LineBreak,
        Space,
        Other,
    }

    /// <summary>Appends the (offset, length) of every pre-token of <paramref name="text"/>, in order.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> pieces)
    {
        int i = 0;
        while (i < text.Length)
        {
            int end = MatchAt(text, i);
            pieces.Add((i, end - i));
            i = end;
        }
    }

    private static int MatchAt(ReadOnlySpan<char> text, int i)
    {
        var current = Classify(text, i, out int width);
        int next = i + width;

        if (text[i] == '\'' && ContractionLength(text[next..]) is > 0 and var contraction)
            return next + contraction;

        if (current == CharClass.Letter)
            return RunEnd(text, i, CharClass.Letter);
        if (current is CharClass.Space or CharClass.Other && next < text.Length && Classify(text, next, out _) == CharClass.Letter)
            return RunEnd(text, next, CharClass.Letter);

        if (current == CharClass.Number)
            return next;

        if (text[i] == ' ' && next < text.Length && Classify(text, next, out _) == CharClass.Other)
            return LineBreakRunEnd(text, RunEnd(text, next, CharClass.Other));
        if (current == CharClass.Other)
            return LineBreakRunEnd(text, RunEnd(text, i, CharClass.Other));

        // Only whitespace is left; every whitespace character is in the BMP, so one char is one character here.
        int whitespaceEnd = i;
        int lastLineBreak = -1;
        while (whitespaceEnd < text.Length && char.IsWhiteSpace(text[whitespaceEnd]))
        {
            if (text[whitespaceEnd] is '\r' or '\n')
                lastLineBreak = whitespaceEnd;
            whitespaceEnd++;
        }
        if (lastLineBreak >= 0)
            return lastLineBreak + 1;
        if (whitespaceEnd == text.Length || whitespaceEnd - i < 2)
            return whitespaceEnd;
        return whitespaceEnd - 1;
    }

    /// <summary>Length after the apostrophe of 's 't 're 've 'm 'll 'd in any case, or 0.</summary>
    private static int ContractionLength(ReadOnlySpan<char> afterApostrophe)
    {
        if (afterApostrophe.IsEmpty)
            return 0;
        // U+017F LATIN SMALL LETTER LONG S case-folds to 's', and Oniguruma's (?i), which HF tokenizers uses, honours
        // Unicode case folding; none of the other letters here has a non-ASCII case-fold partner.
        char first = char.ToLowerInvariant(afterApostrophe[0]);
        if (first is 's' or 't' or 'm' or 'd' or '\u017F')
            return 1;
        if (afterApostrophe.Length < 2)
            return 0;
        char second = char.ToLowerInvariant(afterApostrophe[1]);
        return (first, second) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 2 : 0;
    }

    private static int RunEnd(ReadOnlySpan<char> text, int start, CharClass runClass)
    {
        int i = start;
        while (i < text.Length && Classify(text, i, out int width) == runClass)
            i += width;
        return i;
    }

    private static int LineBreakRunEnd(ReadOnlySpan<char> text, int start)
    {
        int i = start;
        while (i < text.Length && text[i] is '\r' or '\n')
            i++;
        return i;
    }

    /// <summary>Classifies the character (one rune: one or two chars) at <paramref name="index"/>.</summary>
    private static CharClass Classify(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index];
        if (c < 0x80)
        {
            // ASCII fast path: the bulk of prompts.
            width = 1;
            if (char.IsAsciiLetter(c))
                return CharClass.Letter;
            if (char.IsAsciiDigit(c))
                return CharClass.Number;
            if (c is '\r' or '\n')
                return CharClass.LineBreak;
            return c is ' ' or '\t' or '\v' or '\f' ? CharClass.Space : CharClass.Other;
        }

        // A lone surrogate decodes to U+FFFD (a symbol) with width 1, which keeps the scan moving.
        Rune.DecodeFromUtf16(text[index..], out Rune rune, out width);
        if (Rune.IsWhiteSpace(rune))
            return CharClass.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }
}
