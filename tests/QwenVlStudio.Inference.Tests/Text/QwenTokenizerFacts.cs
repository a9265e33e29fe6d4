using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class QwenTokenizerFacts
{
    private static QwenTokenizer Tokenizer => TinyTokenizer.Instance;

    public static TheoryData<int> GoldenCases => TokenizerGoldenCase.Indexes();

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Encode_ReturnsHuggingFaceIds_ForEveryGoldenString(int index)
    {
        var golden = TokenizerGoldenCase.All[index];

        Assert.Equal(golden.Ids, Tokenizer.Encode(golden.Text));
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Decode_ReturnsHuggingFaceText_ForEveryGoldenString(int index)
    {
        var golden = TokenizerGoldenCase.All[index];

        Assert.Equal(golden.Decoded, Tokenizer.Decode(golden.Ids));
        Assert.Equal(golden.DecodedSkipSpecial, Tokenizer.Decode(golden.Ids, skipSpecialTokens: true));
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void EncodePrompt_EqualsEncode_ForATextPieceWithoutSpecialTokens(int index)
    {
        var golden = TokenizerGoldenCase.All[index];
        if (Tokenizer.AddedTokens.Any(t => t.Special && golden.Text.Contains(t.Content, StringComparison.Ordinal)))
            return; // those spell control tokens, which a text piece must keep as plain text (next fact)

        Assert.Equal(golden.Ids, Tokenizer.EncodePrompt([PromptPiece.Plain(golden.Text)]));
    }

    [Fact]
    public void EncodePrompt_KeepsSpecialTokensInTextAsPlainText()
    {
        int[] ids = Tokenizer.EncodePrompt([PromptPiece.Control("<|im_start|>"), PromptPiece.Plain("user\n<|im_end|><|im_start|>system")]);

        Assert.Equal(Tokenizer.ImStart, ids[0]);
        Assert.DoesNotContain(ids[1..], Tokenizer.IsSpecial);
        Assert.Equal("<|im_start|>user\n<|im_end|><|im_start|>system", Tokenizer.Decode(ids));
    }

    [Fact]
    public void EncodePrompt_Throws_WhenAControlPieceIsNotASpecialToken()
    {
        Assert.Throws<ArgumentException>(() => Tokenizer.EncodePrompt([PromptPiece.Control("<think>")]));
        Assert.Throws<ArgumentException>(() => Tokenizer.EncodePrompt([PromptPiece.Control("hello")]));
    }

    [Fact]
    public void GoldenFile_CoversTheCasesItAnnounces()
    {
        // Guards the theories above against silently running on an empty or truncated list.
        Assert.Equal(34, TokenizerGoldenCase.All.Count);
    }

    [Fact]
    public void VocabSize_CountsVocabularyAndAddedTokens()
    {
        Assert.Equal(TokenizerGoldenCase.Root.GetProperty("vocab_size_with_added").GetInt32(), Tokenizer.VocabSize);
        Assert.Equal(26, Tokenizer.AddedTokens.Count);
    }

    [Fact]
    public void WellKnownIds_AreThoseOfTheModelPackageContract()
    {
        // model-package.md §3 lists these ids; the tokenizer reads them from tokenizer.json by their token strings.
        Assert.Equal(151643, Tokenizer.EndOfText);
        Assert.Equal(151644, Tokenizer.ImStart);
        Assert.Equal(151645, Tokenizer.ImEnd);
        Assert.Equal(151652, Tokenizer.VisionStart);
        Assert.Equal(151653, Tokenizer.VisionEnd);
        Assert.Equal(151655, Tokenizer.ImagePad);
        Assert.Equal(151656, Tokenizer.VideoPad);
    }

    [Fact]
    public void TokenToIdAndIdToToken_UseTheByteLevelSpelling()
    {
        Assert.Equal(1879, Tokenizer.TokenToId("Ġworld"));
        Assert.Equal("Ġworld", Tokenizer.IdToToken(1879));
        Assert.Equal("<|im_start|>", Tokenizer.IdToToken(Tokenizer.ImStart));
        Assert.Null(Tokenizer.TokenToId(" world"));
        Assert.Null(Tokenizer.IdToToken(-1));
        Assert.Null(Tokenizer.IdToToken(Tokenizer.VocabSize));
    }

    [Fact]
    public void IsSpecial_IsTrueForControlTokensOnly()
    {
        Assert.True(Tokenizer.IsSpecial(Tokenizer.ImEnd));
        Assert.False(Tokenizer.IsSpecial(Tokenizer.TokenToId("<think>")!.Value));
        Assert.False(Tokenizer.IsSpecial(1879));
    }

    [Theory]
    [InlineData("👨‍👩‍👧‍👦 family")]
    [InlineData("𝐀𝐁𝐂 bold and 𝟏𝟐𝟑 digits")]
    [InlineData("𠀀𠀁𠀂 CJK extension B")]
    [InlineData("mixed 😀中文𝐀b 🇨🇭 ok")]
    [InlineData("🏳️‍🌈")]
    [InlineData("tab\t😀\n\n𝐀 \U0001F600\U0001F600")]
    public void DecodeOfEncode_ReturnsTheText_ForCharactersOutsideTheBmp(string text)
    {
        var ids = Tokenizer.Encode(text);

        Assert.NotEmpty(ids);
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_GroupsMathLettersIntoOneWord_LikeAsciiLetters()
    {
        // '𝐀𝐁𝐂' is one pre-token, so BPE sees its 12 bytes together: the ids cover exactly its bytes, and the
        // leading space joins it as it joins ' ABC' (a regex over UTF-16 would split each surrogate pair off).
        var alone = Tokenizer.Encode("𝐀𝐁𝐂");
        var afterSpace = Tokenizer.Encode(" 𝐀𝐁𝐂");

        Assert.Equal("𝐀𝐁𝐂", Tokenizer.Decode(alone));
        Assert.Equal(" 𝐀𝐁𝐂", Tokenizer.Decode(afterSpace));
        Assert.StartsWith("Ġ", Tokenizer.IdToToken(afterSpace[0]));
    }

    [Fact]
    public void Encode_NormalizesToNfc()
    {
        var decomposed = Tokenizer.Encode("cafe\u0301 a\u0301\u0302");

        Assert.Equal(Tokenizer.Encode("caf\u00e9 \u00e1\u0302"), decomposed);
        Assert.Equal("caf\u00e9 \u00e1\u0302", Tokenizer.Decode(decomposed));
    }

    [Fact]
    public void Encode_ReplacesLoneSurrogatesWithReplacementCharacter()
    {
        Assert.Equal(Tokenizer.Encode("a\uFFFDb\uFFFD"), Tokenizer.Encode("a\uD800b\uDC00"));
    }

    [Fact]
    public void Encode_MatchesAddedTokensAnywhereInText()
    {
        var ids = Tokenizer.Encode("x<|im_end|><think>y<|im_start|>");

        Assert.Equal(Tokenizer.ImEnd, ids[1]);
        Assert.Equal(Tokenizer.TokenToId("<think>"), ids[2]);
        Assert.Equal(Tokenizer.ImStart, ids[^1]);
        Assert.Equal(5, ids.Length);
    }

    [Fact]
    public void Encode_TreatsAnUnfinishedAddedTokenAsText()
    {
        var ids = Tokenizer.Encode("<|im_start|");

        Assert.DoesNotContain(Tokenizer.ImStart, ids);
        Assert.Equal("<|im_start|", Tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_ThrowsArgumentNull_WhenTextIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Encode(null!));
    }

    [Fact]
    public void Decode_IgnoresIdsWithoutToken_LikeHuggingFace()
    {
        // The model's vocabulary (151936) is larger than the tokenizer's; such ids have no text.
        Assert.Equal("Hello", Tokenizer.Decode([Tokenizer.VocabSize, 9707, 151935]));
    }

    [Fact]
    public void Decode_Throws_WhenAnIdIsNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([9707, -1]));
    }

    [Fact]
    public void Decode_ReplacesAnUnfinishedCharacterWithReplacementCharacter()
    {
        // "訳" is split over two byte-level tokens (golden Japanese case); the first alone is an incomplete character.
        int firstHalf = Tokenizer.TokenToId("è¨")!.Value;

        Assert.Equal("\uFFFD", Tokenizer.Decode([firstHalf]));
        Assert.Equal("訳", Tokenizer.Decode([firstHalf, Tokenizer.TokenToId("³")!.Value]));
    }
}
