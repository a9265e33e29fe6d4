using System.Collections.Concurrent;

namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A compiled <c>pattern</c>: the NFA, determinized lazily (subset construction on first use of each state), with
/// states that cannot reach acceptance pruned, so every live state can still finish the string. Thread-safe.
/// </summary>
internal sealed class StringPattern
{
    public const int Dead = -1;
    private readonly PatternNfa _nfa;
    private readonly bool[] _live;
    private readonly List<ulong[]> _sets = [];
    private readonly Dictionary<string, int> _ids = [];
    private readonly ConcurrentDictionary<(int, byte), int> _moves = new();
    private readonly ConcurrentDictionary<int, int> _distances = new();
    private readonly Lock _lock = new();

    public StringPattern(string source, string path)
    {
        Source = source;
        _nfa = PatternParser.Parse(source, path);
        _live = LiveStates(_nfa);
        if (!_live[_nfa.Start])
            throw new JsonSchemaException("pattern", path, $"pattern '{source}' at {path} matches no string of printable ASCII, so the schema allows nothing");
        var start = new HashSet<int>();
        Close(_nfa.Start, start);
        StartState = Intern(start);
    }

    public string Source { get; }

    public int StartState { get; }

    public bool IsAccepting(int state)
    {
        lock (_lock) return Has(_sets[state], _nfa.Accept);
    }

    /// <summary>
    /// Fewest characters that take <paramref name="state"/> to acceptance (breadth-first over the lazy DFA), so a
    /// maxLength bound can refuse a character after which the pattern could no longer be finished in time.
    /// </summary>
    public int MinCharsToAccept(int state) => _distances.GetOrAdd(state, Distance);

    private int Distance(int from)
    {
        var seen = new HashSet<int> { from };
        var frontier = new List<int> { from };
        for (int distance = 0; frontier.Count > 0; distance++)
        {
            if (frontier.Any(IsAccepting)) return distance;
            var next = new List<int>();
            foreach (int state in frontier)
                for (int c = PatternParser.FirstChar; c <= PatternParser.LastChar; c++)
                    if (PatternParser.IsPatternChar(c) && Move(state, (byte)c) is var to && to != Dead && seen.Add(to))
                        next.Add(to);
            frontier = next;
        }
        return int.MaxValue; // live states always reach acceptance; kept for safety
    }

    /// <summary>The state after character <paramref name="c"/>, or <see cref="Dead"/>.</summary>
    public int Move(int state, byte c) => _moves.GetOrAdd((state, c), key => Compute(key.Item1, key.Item2));

    private int Compute(int state, byte c)
    {
        if (c >= 128) return Dead;
        ulong[] set;
        lock (_lock) set = _sets[state];
        var next = new HashSet<int>();
        for (int s = 0; s < _nfa.StateCount; s++)
            if (Has(set, s) && _nfa.ClassOf(s) is { } chars && chars[c])
                Close(_nfa.NextOf(s), next);
        return next.Count == 0 ? Dead : Intern(next);
    }

    private void Close(int state, HashSet<int> into)
    {
        if (!_live[state] || !into.Add(state)) return;
        foreach (int e in _nfa.EpsilonOf(state)) Close(e, into);
    }

    private int Intern(HashSet<int> states)
    {
        var bits = new ulong[(_nfa.StateCount + 63) / 64];
        foreach (int s in states) bits[s >> 6] |= 1UL << (s & 63);
        var key = string.Join(',', bits);
        lock (_lock)
        {
            if (_ids.TryGetValue(key, out int id)) return id;
            _sets.Add(bits);
            _ids[key] = _sets.Count - 1;
            return _sets.Count - 1;
        }
    }

    private static bool Has(ulong[] bits, int s) => (bits[s >> 6] & (1UL << (s & 63))) != 0;

    /// <summary>States from which the accept state is reachable (backwards search over all edges).</summary>
    private static bool[] LiveStates(PatternNfa nfa)
    {
        var reverse = Enumerable.Range(0, nfa.StateCount).Select(_ => new List<int>()).ToArray();
        for (int s = 0; s < nfa.StateCount; s++)
        {
            foreach (int e in nfa.EpsilonOf(s)) reverse[e].Add(s);
            if (nfa.ClassOf(s) is { } chars && chars.Any(c => c)) reverse[nfa.NextOf(s)].Add(s);
        }
        var live = new bool[nfa.StateCount];
        var stack = new Stack<int>([nfa.Accept]);
        live[nfa.Accept] = true;
        while (stack.Count > 0)
            foreach (int p in reverse[stack.Pop()])
                if (!live[p])
                {
                    live[p] = true;
                    stack.Push(p);
                }
        return live;
    }
}
