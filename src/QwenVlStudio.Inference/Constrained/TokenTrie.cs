namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A byte trie of token strings, flattened into arrays: node 0 is the root; a node's outgoing edges are
/// contiguous, and each node lists the tokens whose bytes end there. Walking it with a parser state visits each
/// shared prefix once instead of once per token.
/// </summary>
internal sealed class TokenTrie
{
    private readonly int[] _edgeStart;
    private readonly int[] _edgeCount;
    private readonly byte[] _edgeByte;
    private readonly int[] _edgeTarget;
    private readonly int[] _tokenStart;
    private readonly int[] _tokenCount;
    private readonly int[] _tokens;

    public TokenTrie(IReadOnlyList<(int Id, byte[] Bytes)> tokens)
    {
        var sorted = tokens.Where(t => t.Bytes.Length > 0).OrderBy(t => t.Bytes, ByteStrings.Comparer).ToArray();
        var edgeStart = new List<int>();
        var edgeCount = new List<int>();
        var edgeByte = new List<byte>();
        var edgeTarget = new List<int>();
        var tokenStart = new List<int>();
        var tokenCount = new List<int>();
        var ids = new List<int>();

        // Breadth-first over (range of sorted tokens sharing a prefix, prefix length): children of a node are a partition of its range.
        var queue = new Queue<(int Lo, int Hi, int Depth)>();
        queue.Enqueue((0, sorted.Length, 0));
        int nodes = 1;
        while (queue.Count > 0)
        {
            var (lo, hi, depth) = queue.Dequeue();
            int i = lo;
            tokenStart.Add(ids.Count);
            while (i < hi && sorted[i].Bytes.Length == depth) ids.Add(sorted[i++].Id);
            tokenCount.Add(ids.Count - tokenStart[^1]);
            edgeStart.Add(edgeByte.Count);
            while (i < hi)
            {
                byte b = sorted[i].Bytes[depth];
                int j = i;
                while (j < hi && sorted[j].Bytes[depth] == b) j++;
                edgeByte.Add(b);
                edgeTarget.Add(nodes++);
                queue.Enqueue((i, j, depth + 1));
                i = j;
            }
            edgeCount.Add(edgeByte.Count - edgeStart[^1]);
        }
        _edgeStart = [.. edgeStart];
        _edgeCount = [.. edgeCount];
        _edgeByte = [.. edgeByte];
        _edgeTarget = [.. edgeTarget];
        _tokenStart = [.. tokenStart];
        _tokenCount = [.. tokenCount];
        _tokens = [.. ids];
        TokenCount = sorted.Length;
    }

    public int NodeCount => _edgeStart.Length;

    public int TokenCount { get; }

    public ReadOnlySpan<int> TokensAt(int node) => _tokens.AsSpan(_tokenStart[node], _tokenCount[node]);

    public int EdgeCount(int node) => _edgeCount[node];

    public byte EdgeByte(int node, int edge) => _edgeByte[_edgeStart[node] + edge];

    public int EdgeTarget(int node, int edge) => _edgeTarget[_edgeStart[node] + edge];

    /// <summary>The node reached by <paramref name="bytes"/> from the root, or −1.</summary>
    public int Find(ReadOnlySpan<byte> bytes)
    {
        int node = 0;
        foreach (byte b in bytes)
        {
            int next = -1;
            for (int e = 0; e < _edgeCount[node]; e++)
                if (EdgeByte(node, e) == b)
                {
                    next = EdgeTarget(node, e);
                    break;
                }
            if (next < 0) return -1;
            node = next;
        }
        return node;
    }
}
