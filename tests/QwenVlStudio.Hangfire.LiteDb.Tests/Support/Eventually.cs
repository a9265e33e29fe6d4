using System.Diagnostics;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>Waits for a condition that background work will make true; the caller asserts on the result.</summary>
public static class Eventually
{
    public static bool True(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) return false;
            Thread.Sleep(10);
        }

        return true;
    }
}
