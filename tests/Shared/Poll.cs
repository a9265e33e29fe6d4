using System.Diagnostics;
using Xunit;

namespace QwenVlStudio.Tests.Shared;

/// <summary>
/// The one way the tests wait for background work: check a condition every few milliseconds until it holds or
/// the timeout passes, then fail with a message. Waiting is not a timing assert: the timeout only bounds a
/// failure; a pass takes as long as the work does.
/// </summary>
public static class Poll
{
    /// <summary>Long enough for a loaded shared build machine; only a failing test ever waits this long.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test when it does not within the timeout.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan?, string?)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        if (!await WithinAsync(condition, timeout ?? DefaultTimeout))
            Assert.Fail($"{what ?? "the condition"} did not hold within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s");
    }

    /// <summary>True as soon as <paramref name="condition"/> holds, false when <paramref name="timeout"/> passes first.</summary>
    public static Task<bool> WithinAsync(Func<bool> condition, TimeSpan timeout) =>
        WithinAsync(() => Task.FromResult(condition()), timeout);

    /// <inheritdoc cref="WithinAsync(Func{bool}, TimeSpan)"/>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
                return false;
            await Task.Delay(Interval);
        }
        return true;
    }

    /// <summary>The blocking form, for tests that are not async: true as soon as the condition holds.</summary>
    public static bool Within(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
                return false;
            Thread.Sleep(Interval);
        }
        return true;
    }
}
