using System.Globalization;

namespace QwenVlStudio.Hangfire.LiteDb.Bench;

/// <summary>Command line: --jobs N --workers W --rounds R --producers P --dir PATH.</summary>
internal sealed record BenchOptions(int Jobs, int Workers, int Rounds, int Producers, string Directory)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];

        int Int(string name, int fallback) =>
            values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(
            Int("jobs", 10_000),
            Int("workers", 4),
            Int("rounds", 3),
            Int("producers", 4),
            values.TryGetValue("dir", out var dir) ? dir : Path.Combine(Path.GetTempPath(), "qwenvl-litedb-bench"));
    }
}
