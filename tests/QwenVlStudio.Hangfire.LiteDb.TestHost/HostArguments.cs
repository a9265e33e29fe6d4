using System.Globalization;

namespace QwenVlStudio.Hangfire.LiteDb.TestHost;

/// <summary>Command line of the test host: <c>--name value</c> pairs.</summary>
internal sealed class HostArguments
{
    private readonly Dictionary<string, string> _values;

    private HostArguments(Dictionary<string, string> values) => _values = values;

    public static HostArguments Parse(string[] args)
    {
        if (args.Length % 2 != 0) throw new ArgumentException("Arguments come in '--name value' pairs.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }

        return new HostArguments(values);
    }

    /// <summary>The LiteDB file.</summary>
    public string Database => Required("db");

    /// <summary>The file that jobs append their number to.</summary>
    public string Output => Required("out");

    /// <summary>How many appending jobs to enqueue at start.</summary>
    public int Enqueue => Int("enqueue", 0);

    /// <summary>How many jobs to enqueue that fail without retry.</summary>
    public int Fail => Int("fail", 0);

    /// <summary>How many jobs to schedule an hour ahead.</summary>
    public int Schedule => Int("schedule", 0);

    /// <summary>How many recurring jobs to register.</summary>
    public int Recurring => Int("recurring", 0);

    public int Workers => Int("workers", 4);

    /// <summary>How long each appending job works before appending.</summary>
    public int JobMilliseconds => Int("job-ms", 0);

    public int InvisibilityMilliseconds => Int("invisibility-ms", 300_000);

    private string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"Missing --{name}.");

    private int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
