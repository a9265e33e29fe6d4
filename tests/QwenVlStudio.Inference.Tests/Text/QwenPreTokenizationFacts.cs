using System.Text;
using System.Text.RegularExpressions;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class QwenPreTokenizationFacts
{
    // On BMP-only text .NET's Regex implements the pattern faithfully (its \s, \p{L}, \p{N} agree with Oniguruma's
    // there), so it is the reference for the hand-written matcher; only characters outside the BMP need the matcher.
    private static readonly Regex Reference = new(QwenPreTokenization.Pattern, RegexOptions.CultureInvariant);

    private static string[] Pieces(string text)
    {
        var pieces = new List<(int Offset, int Length)>();
        QwenPreTokenization.Split(text, pieces);
        return [.. pieces.Select(p => text.Substring(p.Offset, p.Length))];
    }

    private static string[] ReferencePieces(string text) => [.. Reference.Matches(text).Select(m => m.Value)];

    [Theory]
    [InlineData("Hello, world!", new[] { "Hello", ",", " world", "!" })]
    [InlineData("I'm can't they'll", new[] { "I", "'m", " can", "'t", " they", "'ll" })]
    [InlineData("WE'VE 'RE", new[] { "WE", "'VE", " '", "RE" })]
    [InlineData("multiple   spaces\tand", new[] { "multiple", "  ", " spaces", "\tand" })]
    [InlineData("a\n\n\nb  \n c", new[] { "a", "\n\n\n", "b", "  \n", " c" })]
    [InlineData("x = 10;\r\n", new[] { "x", " =", " ", "1", "0", ";\r\n" })]
    [InlineData("trailing   ", new[] { "trailing", "   " })]
    public void Split_FollowsThePattern_OnExamples(string text, string[] expected)
    {
        Assert.Equal(expected, Pieces(text));
        Assert.Equal(expected, ReferencePieces(text));
    }

    [Fact]
    public void Split_AgreesWithTheRegex_OnEveryGoldenString()
    {
        foreach (var golden in TokenizerGoldenCase.All)
            Assert.Equal(ReferencePieces(golden.Text), Pieces(golden.Text));
    }

    [Fact]
    public void Split_AgreesWithTheRegex_OnRandomBmpText()
    {
        // Characters from every class of the pattern: letters (Latin, accented, CJK, Arabic, Hangul, titlecase ǅ,
        // modifier ʰ), numbers (ASCII, Arabic-Indic, Roman numeral, superscript two), contraction letters, apostrophes,
        // line breaks, other whitespace (tab, vertical tab, NBSP, ideographic space, line separator, NEL), symbols,
        // controls that are not whitespace (U+001C), combining and spacing marks (Devanagari), format characters.
        const string alphabet =
            "aZé中ب한ǅʰ'sStTrReEvVmMlLdD\r\n\t\v 1٣Ⅻ².,!?-_\u00A0\u3000\u2028\u0085\u001C\u0301न्ा\u200B\u00AD©";
        var random = new Random(1234);
        var text = new StringBuilder();
        for (int sample = 0; sample < 3000; sample++)
        {
            text.Clear();
            int length = random.Next(0, 24);
            for (int i = 0; i < length; i++)
                text.Append(alphabet[random.Next(alphabet.Length)]);
            string s = text.ToString();

            Assert.True(ReferencePieces(s).SequenceEqual(Pieces(s)), $"differs on {System.Text.Json.JsonSerializer.Serialize(s)}");
        }
    }

    [Theory]
    [InlineData("𝐀𝐁𝐂", "ABC")] // mathematical bold letters (Lu, plane 1)
    [InlineData(" 𝐀𝐁𝐂 𝐝", " ABC d")]
    [InlineData("𠀀𠀁 𠀂", "中中 中")] // CJK extension B (Lo, plane 2)
    [InlineData("😀😀 😀!", "©© ©!")] // emoji (So): symbols, not letters
    [InlineData("a😀b", "a©b")] // a symbol joins the letters after it
    [InlineData("𝟏𝟐x", "12x")] // mathematical digits (Nd): one piece each
    [InlineData("'𝐀", "'A")]
    [InlineData("x𝐀𝐁y", "xABy")] // letters on both planes form one run
    [InlineData("𝐀!", "A!")]
    [InlineData("1😀2", "1©2")]
    [InlineData("𠀀。𠀁", "中。中")]
    [InlineData("👨‍👩‍👧 family", "©\u200D©\u200D© family")] // ZWJ sequence: one symbol run
    [InlineData("x 🇨🇭\n", "x ©©\n")]
    public void Split_TreatsCharactersOutsideTheBmpLikeTheirBmpCounterparts(string text, string bmpCounterpart)
    {
        // Replacing each non-BMP character by a BMP one of the same class must give the same pieces, counted in
        // characters (runes); a UTF-16 regex would instead see surrogate halves as symbols.
        var expected = ReferencePieces(bmpCounterpart).Select(p => p.Length);
        var actual = Pieces(text).Select(p => p.EnumerateRunes().Count());

        Assert.Equal(expected, actual);
        Assert.Equal(text, string.Concat(Pieces(text)));
    }

    [Fact]
    public void Split_KeepsALoneSurrogateAsASymbol()
    {
        Assert.Equal(["a", "\uD800", " b"], Pieces("a\uD800 b"));
    }

    [Fact]
    public void Split_TreatsLongSAsTheContractionS()
    {
        // U+017F case-folds to 's'; Oniguruma's (?i) (used by HF tokenizers) matches it in 's.
        Assert.Equal(["it", "'ſ"], Pieces("it'ſ"));
    }

    [Fact]
    public void Split_ReturnsNothing_ForEmptyText()
    {
        Assert.Empty(Pieces(""));
    }
}
