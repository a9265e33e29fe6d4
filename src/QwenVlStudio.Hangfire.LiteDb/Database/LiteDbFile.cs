using LiteDB;
using LiteDB.Engine;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// The open storage file: LiteDB on two file streams (data and log) that this process holds exclusively, so that a
/// second storage on the same file (here or in another process) fails at once instead of corrupting it.
/// </summary>
internal sealed class LiteDbFile : IDisposable
{
    // Ordinal comparison makes the composite index keys (queue, state, set order) sort byte by byte, as designed.
    private static readonly Collation OrdinalCollation = new("en-US/Ordinal");

    private readonly FileStreamWithFlushPolicy _data;
    private readonly FileStreamWithFlushPolicy _log;
    private readonly LogWriteBarrier _barrier;

    private LiteDbFile(LiteDbLocation location, FileStreamWithFlushPolicy data, FileStreamWithFlushPolicy log)
    {
        Location = location;
        _data = data;
        _log = log;
        var engine = new LiteEngine(new EngineSettings
        {
            DataStream = data,
            LogStream = log,
            Password = location.Password,
            Collation = OrdinalCollation,
        });
        _barrier = LogWriteBarrier.For(engine);
        Database = new LiteDatabase(engine, new BsonMapper(), disposeOnClose: true);
    }

    public LiteDbLocation Location { get; }

    public LiteDatabase Database { get; }

    public static LiteDbFile Open(LiteDbLocation location)
    {
        // Job arguments and results can be private: a folder made here is 0700 and the files 0600 (on Unix).
        var folder = Path.GetDirectoryName(location.DataFile)!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var data = OpenExclusive(location.DataFile, location);
        FileStream? log = null;
        try
        {
            log = OpenExclusive(location.LogFile, location);

            // The data file is written only at checkpoints, which must reach the disk before the log is cut, so
            // LiteDB's flushes of it are honoured; the log's flushes are the storage's to decide (see Commit).
            return new LiteDbFile(
                location,
                new FileStreamWithFlushPolicy(data, flushWhenAsked: true),
                new FileStreamWithFlushPolicy(log, flushWhenAsked: false));
        }
        catch
        {
            log?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Waits until committed pages are in the log file (they then survive the process).</summary>
    public void WaitForLogWrites() => _barrier.WaitForQueuedPages();

    /// <summary>Forces the log file onto the disk (fsync).</summary>
    public void FlushLogToDisk() => _log.FlushToDisk();

    public void Dispose()
    {
        // Closing LiteDB checkpoints the log into the data file; the streams are ours to close afterwards.
        Database.Dispose();
        _log.Dispose();
        _data.Dispose();
    }

    private static FileStream OpenExclusive(string path, LiteDbLocation location)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Linux and a share lock on Windows.
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.RandomAccess,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            return new FileStream(path, options);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            throw new LiteDbStorageInUseException(location.DataFile, ex);
        }
    }

    // Windows reports a sharing or lock violation; Unix reports the errno of the refused flock (EWOULDBLOCK:
    // 11 on Linux, 35 on macOS).
    private static bool IsSharingViolation(IOException ex) =>
        ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021) or 11 or 35;
}
