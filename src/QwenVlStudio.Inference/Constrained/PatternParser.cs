namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// Parses the simple regular expressions JSON-schema <c>pattern</c> is mostly used with into a Thompson NFA over
/// the characters a pattern string may hold (printable ASCII except the quote and backslash, which need escapes):
/// literals, <c>.</c>, classes (<c>[a-z]</c>, <c>[^…]</c>, <c>\d \w \s</c> and their negations), groups,
/// <c>|</c>, and the quantifiers <c>* + ? {n} {n,} {n,m}</c>; <c>^</c> and <c>$</c> only at the ends (without them
/// the pattern may match anywhere, as JSON schema says). Anything else is refused naming what.
/// </summary>
internal sealed class PatternParser
{
    public const int FirstChar = 0x20, LastChar = 0x7E;
    private const int MaxRepeat = 100;
    private readonly string _pattern;
    private readonly string _path;
    private readonly PatternNfa _nfa = new();
    private int _at;

    private PatternParser(string pattern, string path)
    {
        _pattern = pattern;
        _path = path;
    }

    public static bool IsPatternChar(int b) => b is >= FirstChar and <= LastChar && b != '"' && b != '\\';

    public static PatternNfa Parse(string pattern, string path)
    {
        var parser = new PatternParser(pattern, path);
        return parser.ParseWhole();
    }

    private PatternNfa ParseWhole()
    {
        bool anchoredStart = _pattern.StartsWith('^');
        if (anchoredStart) _at = 1;
        var body = ParseAlternation();
        bool anchoredEnd = false;
        if (_at < _pattern.Length && _pattern[_at] == '$')
        {
            anchoredEnd = true;
            _at++;
        }
        if (_at < _pattern.Length)
            throw Unsupported($"'{_pattern[_at]}' at position {_at} (anchors are allowed only at the ends)");
        var fragment = body;
        if (!anchoredStart) fragment = _nfa.Concat(_nfa.Star(_nfa.Class(AnyChar())), fragment);
        if (!anchoredEnd) fragment = _nfa.Concat(fragment, _nfa.Star(_nfa.Class(AnyChar())));
        _nfa.Finish(fragment);
        return _nfa;
    }

    private PatternNfa.Fragment ParseAlternation()
    {
        var left = ParseConcat();
        while (_at < _pattern.Length && _pattern[_at] == '|')
        {
            _at++;
            left = _nfa.Either(left, ParseConcat());
        }
        return left;
    }

    private PatternNfa.Fragment ParseConcat()
    {
        var result = _nfa.Empty();
        while (_at < _pattern.Length && _pattern[_at] is not ('|' or ')' or '$'))
            result = _nfa.Concat(result, ParseRepeat());
        return result;
    }

    private PatternNfa.Fragment ParseRepeat()
    {
        int atomStart = _at;
        var atom = ParseAtom();
        int atomEnd = _at;
        if (_at >= _pattern.Length) return atom;
        char c = _pattern[_at];
        int min, max;
        switch (c)
        {
            case '*': _at++; return Lazy(_nfa.Star(atom));
            case '+': _at++; return Lazy(_nfa.Concat(atom, _nfa.Star(Reparse(atomStart, atomEnd))));
            case '?': _at++; return Lazy(_nfa.Either(atom, _nfa.Empty()));
            case '{': (min, max) = ParseBraces(); break;
            default: return atom;
        }
        // {n,m}: n copies, then up to m − n optional ones (m = −1: then a star). Copies are re-parsed fragments.
        var result = min > 0 ? atom : _nfa.Empty();
        for (int i = 1; i < min; i++) result = _nfa.Concat(result, Reparse(atomStart, atomEnd));
        if (max < 0)
            result = _nfa.Concat(result, _nfa.Star(min > 0 ? Reparse(atomStart, atomEnd) : atom));
        else
            for (int i = Math.Max(min, 0); i < max; i++)
                result = _nfa.Concat(result, _nfa.Either(min > 0 || i > 0 ? Reparse(atomStart, atomEnd) : atom, _nfa.Empty()));
        return Lazy(result);
    }

    /// <summary>Lazy quantifiers (<c>*?</c>) match the same strings; possessive ones (<c>*+</c>) are refused by the next atom.</summary>
    private PatternNfa.Fragment Lazy(PatternNfa.Fragment fragment)
    {
        if (_at < _pattern.Length && _pattern[_at] == '?') _at++;
        if (_at < _pattern.Length && _pattern[_at] is '*' or '+' or '{')
            throw Unsupported($"a quantifier after a quantifier at position {_at}");
        return fragment;
    }

    private PatternNfa.Fragment Reparse(int start, int end)
    {
        int saved = _at;
        _at = start;
        var copy = ParseAtom();
        if (_at != end) throw new InvalidOperationException("a re-parsed atom ended elsewhere");
        _at = saved;
        return copy;
    }

    private (int Min, int Max) ParseBraces()
    {
        int close = _pattern.IndexOf('}', _at);
        if (close < 0) throw Invalid("a '{' without '}'");
        var body = _pattern[(_at + 1)..close];
        var parts = body.Split(',');
        if (parts.Length > 2 || !int.TryParse(parts[0], out int min) || min < 0)
            throw Invalid($"the quantifier '{{{body}}}'");
        int max = min;
        if (parts.Length == 2)
            max = parts[1].Length == 0 ? -1 : int.TryParse(parts[1], out int m) && m >= min ? m : throw Invalid($"the quantifier '{{{body}}}'");
        if (min > MaxRepeat || max > MaxRepeat) throw Unsupported($"a repetition above {MaxRepeat} ('{{{body}}}')");
        _at = close + 1;
        return (min, max);
    }

    private PatternNfa.Fragment ParseAtom()
    {
        char c = _pattern[_at];
        switch (c)
        {
            case '(':
                _at++;
                if (_at < _pattern.Length && _pattern[_at] == '?')
                {
                    if (_at + 1 < _pattern.Length && _pattern[_at + 1] == ':') _at += 2;
                    else throw Unsupported("lookaround and named groups ('(?')");
                }
                var inner = ParseAlternation();
                if (_at >= _pattern.Length || _pattern[_at] != ')') throw Invalid("a '(' without ')'");
                _at++;
                return inner;
            case '[':
                return _nfa.Class(ParseClass());
            case '.':
                _at++;
                return _nfa.Class(AnyChar());
            case '\\':
                return _nfa.Class(ParseEscape(inClass: false));
            case '*' or '+' or '?' or '{':
                throw Invalid($"a quantifier '{c}' with nothing to repeat at position {_at}");
            case '^':
                throw Unsupported($"'^' at position {_at} (anchors are allowed only at the ends)");
            default:
                _at++;
                return _nfa.Class(Single(c));
        }
    }

    private bool[] ParseClass()
    {
        _at++; // '['
        bool negate = _at < _pattern.Length && _pattern[_at] == '^';
        if (negate) _at++;
        var set = new bool[128];
        bool first = true;
        while (_at < _pattern.Length && (_pattern[_at] != ']' || first))
        {
            first = false;
            bool[] item;
            char low;
            if (_pattern[_at] == '\\')
            {
                item = ParseEscape(inClass: true);
                if (!IsSingle(item, out low))
                {
                    Union(set, item);
                    continue;
                }
            }
            else
            {
                low = _pattern[_at++];
            }
            if (_at + 1 < _pattern.Length && _pattern[_at] == '-' && _pattern[_at + 1] != ']')
            {
                _at++;
                char high = _pattern[_at] == '\\' && IsSingle(ParseEscape(inClass: true), out char h) ? h : _pattern[_at++];
                if (high < low) throw Invalid($"the range '{low}-{high}'");
                for (int ch = low; ch <= high && ch < 128; ch++) set[ch] = true;
                if (high >= 128) throw Unsupported("non-ASCII characters");
            }
            else
            {
                Union(set, Single(low));
            }
        }
        if (_at >= _pattern.Length) throw Invalid("a '[' without ']'");
        _at++; // ']'
        if (negate)
            for (int ch = 0; ch < 128; ch++) set[ch] = !set[ch];
        return Restrict(set);
    }

    private bool[] ParseEscape(bool inClass)
    {
        _at++; // '\'
        if (_at >= _pattern.Length) throw Invalid("a '\\' at the end");
        char c = _pattern[_at++];
        return c switch
        {
            'd' => Range('0', '9'),
            'D' => Not(Range('0', '9')),
            'w' => Union(Union(Range('a', 'z'), Range('A', 'Z')), Union(Range('0', '9'), Single('_'))),
            'W' => Not(Union(Union(Range('a', 'z'), Range('A', 'Z')), Union(Range('0', '9'), Single('_')))),
            's' => Single(' '), // tab and newline cannot appear unescaped in a JSON string
            'S' => Not(Single(' ')),
            't' or 'n' or 'r' or 'f' or 'v' => throw Unsupported($"'\\{c}' (pattern strings are generated without escapes)"),
            'b' or 'B' when !inClass => throw Unsupported("word boundaries ('\\b')"),
            >= '1' and <= '9' => throw Unsupported("backreferences"),
            'u' or 'x' or 'p' or 'P' or 'k' or 'c' => throw Unsupported($"'\\{c}' escapes"),
            _ when char.IsAsciiLetterOrDigit(c) => throw Unsupported($"'\\{c}'"),
            _ => Single(c),
        };
    }

    private bool[] Single(char c)
    {
        if (c >= 128) throw Unsupported("non-ASCII characters");
        if (!IsPatternChar(c)) throw Unsupported($"the character U+{(int)c:X4} (quotes, backslashes and control characters would need escapes)");
        var set = new bool[128];
        set[c] = true;
        return set;
    }

    private static bool[] Range(char low, char high)
    {
        var set = new bool[128];
        for (int c = low; c <= high; c++) set[c] = true;
        return set;
    }

    private static bool[] AnyChar() => Restrict(Not(new bool[128]));

    private static bool[] Not(bool[] set) => set.Select(b => !b).ToArray();

    private static bool[] Union(bool[] into, bool[] other)
    {
        for (int i = 0; i < 128; i++) into[i] |= other[i];
        return into;
    }

    private static bool[] Restrict(bool[] set)
    {
        for (int i = 0; i < 128; i++) set[i] &= IsPatternChar(i);
        return set;
    }

    private static bool IsSingle(bool[] set, out char c)
    {
        c = '\0';
        int count = 0;
        for (int i = 0; i < 128; i++)
            if (set[i])
            {
                c = (char)i;
                count++;
            }
        return count == 1;
    }

    private JsonSchemaException Unsupported(string what) =>
        new("pattern", _path, $"pattern '{_pattern}' at {_path} uses {what}, which constrained decoding does not support");

    private JsonSchemaException Invalid(string what) =>
        new("pattern", _path, $"pattern '{_pattern}' at {_path} is not a valid regular expression: {what}");
}
