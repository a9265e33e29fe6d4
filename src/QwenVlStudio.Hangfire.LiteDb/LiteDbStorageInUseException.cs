namespace QwenVlStudio.Hangfire.LiteDb;

/// <summary>
/// Thrown when the LiteDB file is already opened by another <see cref="LiteDbStorage"/>, in this process or in
/// another one. The storage owns its file exclusively: its locks, wake-ups and id sequences live in that process.
/// </summary>
public sealed class LiteDbStorageInUseException : IOException
{
    public LiteDbStorageInUseException(string filePath, Exception innerException)
        : base(
            $"The Hangfire LiteDB file '{filePath}' is already open by another LiteDbStorage (in this process or " +
            "another one). The LiteDB storage serves one process at a time; point every Hangfire server and client of " +
            "a file at the same process, or use a server database (PostgreSQL) to scale out.",
            innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file that is in use.</summary>
    public string FilePath { get; }
}
