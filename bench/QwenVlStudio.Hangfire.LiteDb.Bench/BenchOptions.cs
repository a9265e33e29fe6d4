using System.Globalization;

namespace QwenVlStudio.Hangfire.LiteDb.Bench;

/// <summary>
/// Command line: --jobs N (10,000) --workers W (Hangfire's default: 5 per core, at most 20) --rounds R (3)
/// --producers P (4 enqueueing threads) --expire-seconds S (2: how long finished jobs stay in the LiteDB file)
/// --dir PATH (where the LiteDB file goes; the temp directory).
/// </summary>
internal sealed record BenchOptions(int Jobs, int Workers, int Rounds, int Producers, int ExpireSeconds, string Directory)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];

        int Int(string name, int fallback) =>
            values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(
            Int("jobs", 10_000),
            Int("workers", new global::Hangfire.BackgroundJobServerOptions().WorkerCount),
            Int("rounds", 3),
            Int("producers", 4),
            Int("expire-seconds", 2),
            values.TryGetValue("dir", out var dir) ? dir : Path.Combine(Path.GetTempPath(), "qwenvl-litedb-bench"));
    }
}
