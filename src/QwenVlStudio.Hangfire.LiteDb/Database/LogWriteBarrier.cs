using System.Reflection;
using LiteDB.Engine;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// Waits until LiteDB has written the pages of committed transactions into its log file. LiteDB 5 returns from
/// <c>Commit</c> as soon as the pages are queued for a background writer thread, so a process killed right after a
/// commit could lose it; once this barrier returns the bytes belong to the operating system and survive the process.
/// LiteDB has no public call for this, so the barrier reaches its writer queue by reflection (checked at start-up
/// against the pinned LiteDB 5.0.x; a changed LiteDB fails loudly here instead of silently losing durability).
/// </summary>
internal sealed class LogWriteBarrier
{
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private readonly object _lazyQueue;
    private readonly PropertyInfo _isValueCreated;
    private readonly PropertyInfo _value;
    private readonly MethodInfo _wait;

    private LogWriteBarrier(object lazyQueue, MethodInfo wait)
    {
        _lazyQueue = lazyQueue;
        _isValueCreated = lazyQueue.GetType().GetProperty(nameof(Lazy<object>.IsValueCreated))!;
        _value = lazyQueue.GetType().GetProperty(nameof(Lazy<object>.Value))!;
        _wait = wait;
    }

    public static LogWriteBarrier For(LiteEngine engine)
    {
        var disk = typeof(LiteEngine).GetField("_disk", AnyInstance)?.GetValue(engine)
            ?? throw Unsupported("LiteEngine._disk");
        var lazyQueue = disk.GetType().GetProperty("Queue", AnyInstance)?.GetValue(disk)
            ?? throw Unsupported("DiskService.Queue");
        var queueType = lazyQueue.GetType().GetGenericArguments().SingleOrDefault()
            ?? throw Unsupported("Lazy<DiskWriterQueue>");
        var wait = queueType.GetMethod("Wait", AnyInstance, Type.EmptyTypes)
            ?? throw Unsupported("DiskWriterQueue.Wait()");
        return new LogWriteBarrier(lazyQueue, wait);
    }

    /// <summary>Blocks until every page queued so far is written to the log file.</summary>
    public void WaitForQueuedPages()
    {
        // LiteDB creates its writer queue on the first write; asking for Value earlier would create one for nothing.
        if (!(bool)_isValueCreated.GetValue(_lazyQueue)!) return;
        _wait.Invoke(_value.GetValue(_lazyQueue), null);
    }

    private static NotSupportedException Unsupported(string member) =>
        new($"This LiteDB version lacks '{member}', which the Hangfire LiteDB storage needs to make commits durable. " +
            "Use LiteDB 5.0.20.");
}
