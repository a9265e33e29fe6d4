using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Constrained;

/// <summary>The vocabulary trie and the token masks on a hand-made vocabulary, and on the real tokenizer.</summary>
public class TokenMaskFacts
{
    // id: 0 "{", 1 "{\"", 2 "\"", 3 "a", 4 "ab", 5 "\":", 6 "}", 7 " ", 8 "1", 9 "\"}", 10 (none), 11 EOS, 12 "é" (2 bytes), 13 first byte of "é"
    private static readonly byte[]?[] Tokens =
    [
        "{"u8.ToArray(), "{\""u8.ToArray(), "\""u8.ToArray(), "a"u8.ToArray(), "ab"u8.ToArray(), "\":"u8.ToArray(),
        "}"u8.ToArray(), " "u8.ToArray(), "1"u8.ToArray(), "\"}"u8.ToArray(), null, "<eos>"u8.ToArray(), "é"u8.ToArray(), [0xC3],
    ];

    private static readonly TokenVocabulary Vocabulary = new(Tokens, [11]);

    private static HashSet<int> Allowed(JsonConstraint constraint, params int[] written)
    {
        var cursor = constraint.Start(Vocabulary);
        foreach (int id in written) cursor.Accept(id);
        var logits = new float[Tokens.Length + 2]; // the model's vocabulary may be longer than the tokenizer's
        cursor.Mask(logits);
        return Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(logits[i])).ToHashSet();
    }

    [Fact]
    public void Trie_FindsEveryTokenAtTheNodeOfItsBytes()
    {
        var trie = new TokenTrie([(0, "ab"u8.ToArray()), (1, "a"u8.ToArray()), (2, "b"u8.ToArray()), (3, "abc"u8.ToArray())]);
        Assert.Equal([1], trie.TokensAt(trie.Find("a"u8)).ToArray());
        Assert.Equal([0], trie.TokensAt(trie.Find("ab"u8)).ToArray());
        Assert.Equal([3], trie.TokensAt(trie.Find("abc"u8)).ToArray());
        Assert.Equal(-1, trie.Find("c"u8));
        Assert.Equal(5, trie.NodeCount); // root, a, b, ab, abc
    }

    [Fact]
    public void AtTheStartOfAnObject_OnlyTokensThatOpenItAreAllowed()
    {
        Assert.Equal([0, 1], Allowed(JsonConstraint.AnyObject).Order());
    }

    [Fact]
    public void InsideAString_PlainAndClosingTokensAreAllowed_ButNotEosOrIdsWithoutBytes()
    {
        var allowed = Allowed(JsonConstraint.AnyObject, 1); // {"
        // { and } are plain text inside a string; "} would close the key and then close the object without a value.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13], allowed.Order());
    }

    [Fact]
    public void AfterAPartialCharacter_OnlyItsContinuationIsAllowed()
    {
        // {"<C3>: only a continuation byte may follow; no token of this vocabulary is one.
        var cursor = JsonConstraint.AnyObject.Start(Vocabulary);
        cursor.Accept(1);
        cursor.Accept(13);
        var error = Assert.Throws<QwenVlException>(() => cursor.Mask(new float[Tokens.Length]));
        Assert.Contains("no token", error.Message);
    }

    [Fact]
    public void EndOfSequence_IsAllowedOnlyWhereTheDocumentMayEnd()
    {
        var constraint = JsonConstraint.FromSchema("""{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}""");
        Assert.DoesNotContain(11, Allowed(constraint, 1, 3, 5, 8)); // {"a":1
        Assert.Equal([11], Allowed(constraint, 1, 3, 5, 8, 6).Order()); // {"a":1} is complete: only EOS
    }

    [Fact]
    public void DeclaredKeys_AllowOnlyTheirOwnBytes()
    {
        var constraint = JsonConstraint.FromSchema("""{"type":"object","properties":{"ab":{"type":"integer"}},"required":["ab"]}""");
        Assert.Equal([3, 4], Allowed(constraint, 1).Order()); // {" then a or ab
        Assert.Equal([2, 5], Allowed(constraint, 1, 4).Order()); // {"ab then " or ":
    }

    [Fact]
    public void RealVocabulary_NeverAllowsAddedTokens_AndAllowsEosOnlyAtTheEnd()
    {
        var tokenizer = QwenVlModel.LoadTokenizer(TestPaths.TinyModel);
        int[] eos = [tokenizer.ImEnd, tokenizer.EndOfText];
        var vocabulary = new TokenVocabulary(tokenizer, eos);
        var cursor = JsonConstraint.FromSchema("""{"type":"string","maxLength":3}""").Start(vocabulary);
        var logits = new float[tokenizer.VocabSize + 10];
        cursor.Mask(logits);
        foreach (var added in tokenizer.AddedTokens) Assert.True(float.IsNegativeInfinity(logits[added.Id]), added.Content);
        Assert.True(float.IsNegativeInfinity(logits[^1]));
        int quote = tokenizer.Encode("\"").Single();
        Assert.False(float.IsNegativeInfinity(logits[quote]));

        cursor.Accept(quote);
        foreach (int id in tokenizer.Encode("abc")) cursor.Accept(id);
        Array.Clear(logits);
        cursor.Mask(logits);
        var allowed = Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(logits[i])).Select(i => tokenizer.Decode([i])).ToList();
        Assert.Equal(["\""], allowed); // three characters written: only the closing quote, and nothing after it
    }

    [Fact]
    public void MasksAreCachedPerParserState()
    {
        var constraint = JsonConstraint.FromSchema("""{"type":"array","items":{"type":"boolean"}}""");
        var first = constraint.MaskOf(Vocabulary, constraint.Start(Vocabulary).State);
        var again = constraint.MaskOf(Vocabulary, constraint.Start(Vocabulary).State);
        Assert.Same(first, again);
    }
}
