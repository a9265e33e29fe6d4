using System.Collections.Concurrent;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>What jobs ran, per test run id (tests run side by side, each with its own id).</summary>
public static class JobLedger
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Runs = new();

    /// <summary>Records <paramref name="entry"/> and returns how many entries equal to it the run now has.</summary>
    public static int Record(string run, string entry)
    {
        var entries = Runs.GetOrAdd(run, static _ => new ConcurrentQueue<string>());
        entries.Enqueue(entry);
        return entries.Count(existing => existing == entry);
    }

    public static IReadOnlyList<string> Entries(string run) =>
        Runs.TryGetValue(run, out var entries) ? entries.ToArray() : [];

    public static int Count(string run) => Runs.TryGetValue(run, out var entries) ? entries.Count : 0;
}
