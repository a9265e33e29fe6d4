using LiteDB;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// Where the storage file lives: either a plain path or a LiteDB connection string ("Filename=...;Password=...").
/// Connection strings that ask for something the storage cannot honour are refused here, before any file is touched.
/// </summary>
internal sealed record LiteDbLocation(string DataFile, string LogFile, string? Password)
{
    public static LiteDbLocation Parse(string pathOrConnectionString)
    {
        if (string.IsNullOrWhiteSpace(pathOrConnectionString))
        {
            throw new ArgumentException("The LiteDB file path must not be empty.", nameof(pathOrConnectionString));
        }

        var looksLikeConnectionString = pathOrConnectionString.Contains('=') &&
            pathOrConnectionString.Contains("filename", StringComparison.OrdinalIgnoreCase);
        if (!looksLikeConnectionString) return FromPath(pathOrConnectionString, password: null);

        var connection = new ConnectionString(pathOrConnectionString);
        if (connection.Connection == ConnectionType.Shared)
        {
            throw new NotSupportedException(
                "LiteDB shared mode (Connection=shared) is not supported by the Hangfire LiteDB storage: shared mode " +
                "reopens the file for every operation and cannot carry Hangfire's distributed locks or queue wake-ups " +
                "between processes. Use one process per file (Connection=direct, the default), or PostgreSQL to scale out.");
        }

        if (connection.ReadOnly)
        {
            throw new NotSupportedException("A read-only LiteDB file cannot hold Hangfire jobs (ReadOnly=true).");
        }

        if (string.Equals(connection.Filename, ":memory:", StringComparison.Ordinal) ||
            string.Equals(connection.Filename, ":temp:", StringComparison.Ordinal))
        {
            throw new NotSupportedException(
                "The Hangfire LiteDB storage needs a file; use Hangfire.InMemory for a storage that lives in memory.");
        }

        return FromPath(connection.Filename, connection.Password);
    }

    private static LiteDbLocation FromPath(string path, string? password)
    {
        var dataFile = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(dataFile)!;
        var logFile = Path.Combine(
            directory,
            Path.GetFileNameWithoutExtension(dataFile) + "-log" + Path.GetExtension(dataFile));
        return new LiteDbLocation(dataFile, logFile, password);
    }
}
