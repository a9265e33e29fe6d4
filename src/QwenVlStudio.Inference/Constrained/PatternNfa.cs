namespace QwenVlStudio.Inference.Constrained;

/// <summary>A Thompson NFA over ASCII: each state has either one character-class edge or up to two epsilon edges.</summary>
internal sealed class PatternNfa
{
    private readonly List<bool[]?> _class = [];
    private readonly List<int> _next = [];
    private readonly List<List<int>> _epsilon = [];

    /// <summary>A piece under construction: its entry state and its one dangling exit state.</summary>
    public readonly record struct Fragment(int Start, int End);

    public int Start { get; private set; }
    public int Accept { get; private set; }
    public int StateCount => _class.Count;

    private int NewState()
    {
        _class.Add(null);
        _next.Add(-1);
        _epsilon.Add([]);
        return _class.Count - 1;
    }

    public Fragment Empty()
    {
        int s = NewState(), e = NewState();
        _epsilon[s].Add(e);
        return new(s, e);
    }

    public Fragment Class(bool[] chars)
    {
        int s = NewState(), e = NewState();
        _class[s] = chars;
        _next[s] = e;
        return new(s, e);
    }

    public Fragment Concat(Fragment a, Fragment b)
    {
        _epsilon[a.End].Add(b.Start);
        return new(a.Start, b.End);
    }

    public Fragment Either(Fragment a, Fragment b)
    {
        int s = NewState(), e = NewState();
        _epsilon[s].Add(a.Start);
        _epsilon[s].Add(b.Start);
        _epsilon[a.End].Add(e);
        _epsilon[b.End].Add(e);
        return new(s, e);
    }

    public Fragment Star(Fragment a)
    {
        int s = NewState(), e = NewState();
        _epsilon[s].Add(a.Start);
        _epsilon[s].Add(e);
        _epsilon[a.End].Add(a.Start);
        _epsilon[a.End].Add(e);
        return new(s, e);
    }

    public void Finish(Fragment whole)
    {
        Start = whole.Start;
        Accept = whole.End;
    }

    public bool[]? ClassOf(int state) => _class[state];

    public int NextOf(int state) => _next[state];

    public IReadOnlyList<int> EpsilonOf(int state) => _epsilon[state];
}
