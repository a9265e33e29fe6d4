using System.Text;
using QwenVlStudio.Inference.Text;

namespace QwenVlStudio.Inference.Tests.Text;

public sealed class IncrementalDetokenizerFacts
{
    private static QwenTokenizer Tokenizer => TinyTokenizer.Instance;

    public static TheoryData<int> GoldenCases => TokenizerGoldenCase.Indexes();

    private static List<string> Stream(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var detokenizer = Tokenizer.CreateDetokenizer(skipSpecialTokens);
        var deltas = ids.Select(detokenizer.Append).ToList();
        deltas.Add(detokenizer.Flush());
        return deltas;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Append_StreamsTheFullDecode_ForEveryGoldenString(int index)
    {
        var golden = TokenizerGoldenCase.All[index];

        foreach (bool skip in new[] { false, true })
        {
            var deltas = Stream(golden.Ids, skip);

            Assert.Equal(skip ? golden.DecodedSkipSpecial : golden.Decoded, string.Concat(deltas));
            Assert.All(deltas, d => Assert.DoesNotContain('\uFFFD', d));
            Assert.All(deltas, d => Assert.False(HasLoneSurrogate(d), "a delta splits a surrogate pair"));
        }
    }

    [Fact]
    public void Append_StreamsTheFullDecode_ForEmojiAndOtherCharactersOutsideTheBmp()
    {
        const string text = "👨‍👩‍👧‍👦 𝐀𝐁𝐂 𠀀𠀁 🇨🇭 done";
        var ids = Tokenizer.Encode(text);

        var deltas = Stream(ids, skipSpecialTokens: false);

        Assert.Equal(text, string.Concat(deltas));
        Assert.All(deltas, d => Assert.False(HasLoneSurrogate(d), "a delta splits a surrogate pair"));
        Assert.Contains(deltas, d => d.Length == 0); // some character spans several tokens and was held back
    }

    [Fact]
    public void Append_HoldsBackACjkCharacterUntilItsLastByteArrives()
    {
        // "訳" (E8 A8 B3) is two tokens in the golden Japanese string: "è¨" (E8 A8) then "³" (B3).
        var detokenizer = Tokenizer.CreateDetokenizer();

        Assert.Equal("", detokenizer.Append(Tokenizer.TokenToId("è¨")!.Value));
        Assert.True(detokenizer.HasPendingBytes);
        Assert.Equal("訳", detokenizer.Append(Tokenizer.TokenToId("³")!.Value));
        Assert.False(detokenizer.HasPendingBytes);
        Assert.Equal("", detokenizer.Flush());
    }

    [Fact]
    public void Append_HoldsBackAnEmojiSplitIntoSingleBytes()
    {
        // The vocabulary has a token for every single byte: feed "🇭" (F0 9F 87 AD) one byte at a time.
        var ids = Encoding.UTF8.GetBytes("🇭").Select(SingleByteToken).ToArray();
        var detokenizer = Tokenizer.CreateDetokenizer();

        var deltas = ids.Select(detokenizer.Append).ToArray();

        Assert.Equal(["", "", "", "🇭"], deltas);
    }

    [Fact]
    public void Flush_ReturnsReplacementCharacter_ForAnUnfinishedCharacter()
    {
        var detokenizer = Tokenizer.CreateDetokenizer();
        detokenizer.Append(Tokenizer.Encode("ok")[0]);
        detokenizer.Append(Tokenizer.TokenToId("è¨")!.Value);

        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.False(detokenizer.HasPendingBytes);
        Assert.Equal("", detokenizer.Flush());
    }

    [Fact]
    public void Append_ReplacesAnInterruptedCharacter_LikeDecode()
    {
        int[] ids = [Tokenizer.TokenToId("è¨")!.Value, .. Tokenizer.Encode("A")];

        var deltas = Stream(ids, skipSpecialTokens: false);

        Assert.Equal("\uFFFDA", deltas[1]);
        Assert.Equal(Tokenizer.Decode(ids), string.Concat(deltas));
    }

    [Fact]
    public void Append_SkipsSpecialTokens_OnlyWhenAsked()
    {
        int[] ids = [.. Tokenizer.Encode("Hi"), Tokenizer.ImEnd];

        Assert.Equal("Hi<|im_end|>", string.Concat(Stream(ids, skipSpecialTokens: false)));
        Assert.Equal("Hi", string.Concat(Stream(ids, skipSpecialTokens: true)));
    }

    [Fact]
    public void Append_ReturnsEmpty_ForIdsWithoutToken()
    {
        var detokenizer = Tokenizer.CreateDetokenizer();

        Assert.Equal("", detokenizer.Append(151935));
        Assert.Throws<ArgumentOutOfRangeException>(() => detokenizer.Append(-5));
    }

    private static int SingleByteToken(byte b) => Tokenizer.TokenToId(ByteLevelAlphabet.ToChar(b).ToString())!.Value;
}
