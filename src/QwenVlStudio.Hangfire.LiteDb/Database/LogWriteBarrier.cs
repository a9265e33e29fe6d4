using System.Linq.Expressions;
using System.Reflection;
using LiteDB.Engine;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// Waits until LiteDB has written the pages of committed transactions into its log file. LiteDB 5 returns from
/// <c>Commit</c> as soon as the pages are queued for a background writer thread, so a process killed right after a
/// commit could lose it; once this barrier returns the bytes belong to the operating system and survive the process.
/// LiteDB has no public call for this, so the barrier reaches its internal writer queue
/// (<c>LiteEngine._disk.Queue</c>, a <c>Lazy&lt;DiskWriterQueue&gt;</c>, and its <c>Wait()</c>). It was written for
/// LiteDB <see cref="SupportedLiteDbVersion"/> and refuses to start on any other version; the member lookups are
/// compiled into delegates once per process, so a commit pays a delegate call, not reflection.
/// </summary>
internal sealed class LogWriteBarrier
{
    /// <summary>The LiteDB assembly version whose internals this barrier was written and tested against.</summary>
    public static readonly Version SupportedLiteDbVersion = new(5, 0, 20);

    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private static readonly Lazy<Accessors> Compiled = new(Compile);

    private readonly object _lazyQueue;

    private LogWriteBarrier(object lazyQueue) => _lazyQueue = lazyQueue;

    public static LogWriteBarrier For(LiteEngine engine) => new(Compiled.Value.LazyQueueOf(engine));

    /// <summary>Blocks until every page queued so far is written to the log file.</summary>
    public void WaitForQueuedPages()
    {
        var accessors = Compiled.Value;
        // LiteDB creates its writer queue on the first write; asking for Value earlier would create one for nothing.
        if (!accessors.IsQueueCreated(_lazyQueue)) return;
        accessors.WaitForQueue(_lazyQueue);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> unless <paramref name="loaded"/> is <see cref="SupportedLiteDbVersion"/> (major.minor.build).</summary>
    internal static void CheckLiteDbVersion(Version? loaded)
    {
        if (loaded is null || new Version(loaded.Major, loaded.Minor, loaded.Build) != SupportedLiteDbVersion)
            throw new NotSupportedException(
                $"The Hangfire LiteDB storage reaches into LiteDB {SupportedLiteDbVersion}'s log writer to make commits " +
                $"durable, but LiteDB {loaded?.ToString() ?? "(unknown version)"} is loaded. Use LiteDB {SupportedLiteDbVersion}, " +
                "or check LogWriteBarrier against the new version's DiskService and DiskWriterQueue first.");
    }

    private static Accessors Compile()
    {
        CheckLiteDbVersion(typeof(LiteEngine).Assembly.GetName().Version);

        var diskField = typeof(LiteEngine).GetField("_disk", AnyInstance) ?? throw Unsupported("LiteEngine._disk");
        var queueProperty = diskField.FieldType.GetProperty("Queue", AnyInstance) ?? throw Unsupported("DiskService.Queue");
        var lazyType = queueProperty.PropertyType;
        var queueType = lazyType.IsGenericType && lazyType.GetGenericTypeDefinition() == typeof(Lazy<>)
            ? lazyType.GetGenericArguments()[0]
            : throw Unsupported("DiskService.Queue as Lazy<DiskWriterQueue>");
        var wait = queueType.GetMethod("Wait", AnyInstance, Type.EmptyTypes) ?? throw Unsupported("DiskWriterQueue.Wait()");

        // engine => (object)engine._disk.Queue
        var engine = Expression.Parameter(typeof(LiteEngine), "engine");
        var lazyQueueOf = Expression.Lambda<Func<LiteEngine, object>>(
            Expression.Convert(Expression.Property(Expression.Field(engine, diskField), queueProperty), typeof(object)), engine).Compile();
        // lazy => ((Lazy<DiskWriterQueue>)lazy).IsValueCreated  and  lazy => ((Lazy<DiskWriterQueue>)lazy).Value.Wait()
        var lazy = Expression.Parameter(typeof(object), "lazy");
        var typedLazy = Expression.Convert(lazy, lazyType);
        var isCreated = Expression.Lambda<Func<object, bool>>(
            Expression.Property(typedLazy, nameof(Lazy<object>.IsValueCreated)), lazy).Compile();
        var waitForQueue = Expression.Lambda<Action<object>>(
            Expression.Call(Expression.Property(typedLazy, nameof(Lazy<object>.Value)), wait), lazy).Compile();
        return new Accessors(lazyQueueOf, isCreated, waitForQueue);
    }

    private static NotSupportedException Unsupported(string member) =>
        new($"LiteDB {typeof(LiteEngine).Assembly.GetName().Version} lacks '{member}', which the Hangfire LiteDB storage " +
            $"needs to make commits durable. Use LiteDB {SupportedLiteDbVersion}.");

    private sealed record Accessors(Func<LiteEngine, object> LazyQueueOf, Func<object, bool> IsQueueCreated, Action<object> WaitForQueue);
}
