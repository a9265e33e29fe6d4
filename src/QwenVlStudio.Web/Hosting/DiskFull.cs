namespace QwenVlStudio.Web.Hosting;

/// <summary>Recognizes "no space left on device" in an exception or any exception it wraps (LiteDB, Hangfire).</summary>
public static class DiskFull
{
    private const int Enospc = 28; // Linux errno
    private const int WindowsDiskFull = unchecked((int)0x80070070); // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    public static bool Is(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is IOException { HResult: Enospc or WindowsDiskFull or WindowsHandleDiskFull })
                return true;
            if (error.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                || error.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
