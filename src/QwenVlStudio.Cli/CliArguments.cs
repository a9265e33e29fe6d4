namespace QwenVlStudio.Cli;

/// <summary>
/// "--name value" options, "--flag" switches and repeatable options after the command word. Unknown or
/// malformed arguments are reported as <see cref="UsageException"/>.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CliArguments(IEnumerable<string> args, IReadOnlySet<string> flagNames)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}'");
            var name = arg[2..];
            if (flagNames.Contains(name))
            {
                _flags.Add(name);
                continue;
            }
            if (!e.MoveNext())
                throw new UsageException($"--{name} needs a value");
            if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
            list.Add(e.Current);
        }
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    public string? Value(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var list)) return null;
        if (list.Count > 1) throw new UsageException($"--{name} was given {list.Count} times");
        return list[0];
    }

    public string Required(string name) => Value(name) ?? throw new UsageException($"--{name} is required");

    public IReadOnlyList<string> Values(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var list) ? list : [];
    }

    public int? Int(string name, int min = int.MinValue)
    {
        var text = Value(name);
        if (text is null) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min)
            throw new UsageException($"--{name} must be an integer ≥ {min}, got '{text}'");
        return v;
    }

    public float? Float(string name)
    {
        var text = Value(name);
        if (text is null) return null;
        if (!float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || !float.IsFinite(v))
            throw new UsageException($"--{name} must be a number, got '{text}'");
        return v;
    }

    /// <summary>Call after reading every option a command knows: anything left over is a typo.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Concat(_flags).Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"unknown option {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}

internal sealed class UsageException(string message) : Exception(message);
