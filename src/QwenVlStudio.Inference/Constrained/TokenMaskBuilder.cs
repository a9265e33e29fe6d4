namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// Computes which tokens may come next in a parser state: a token is allowed when its bytes, fed one by one, keep
/// some parser position alive. Positions inside plain string text take the vocabulary's precomputed plain-token
/// mask and walk only the trie of the other tokens; all other positions walk the whole trie, pruning a prefix as
/// soon as the parser refuses it.
/// </summary>
internal static class TokenMaskBuilder
{
    public static ulong[] Build(TokenVocabulary vocabulary, ParserState state)
    {
        var mask = new ulong[vocabulary.Words];
        foreach (var stack in state.Stacks)
        {
            if (stack is null) continue;
            if (stack.Top is StringFrame { InPlainContent: true } text)
            {
                var plain = vocabulary.PlainMask(text.Room);
                for (int w = 0; w < mask.Length; w++) mask[w] |= plain[w];
                Walk(vocabulary.NotPlainTrie, 0, ParserState.Of(stack), mask);
            }
            else
            {
                Walk(vocabulary.Trie, 0, ParserState.Of(stack), mask);
            }
        }
        if (state.CanFinish)
            foreach (int eos in vocabulary.EndOfSequence) mask[eos >> 6] |= 1UL << (eos & 63);
        return mask;
    }

    private static void Walk(TokenTrie trie, int node, ParserState state, ulong[] mask)
    {
        int edges = trie.EdgeCount(node);
        for (int e = 0; e < edges; e++)
        {
            if (state.Advance(trie.EdgeByte(node, e)) is not { } next) continue;
            int child = trie.EdgeTarget(node, e);
            foreach (int id in trie.TokensAt(child)) mask[id >> 6] |= 1UL << (id & 63);
            Walk(trie, child, next, mask);
        }
    }
}
