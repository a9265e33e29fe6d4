namespace QwenVlStudio.Web.Data;

/// <summary>
/// The checks a LiteDB data file and its <c>-log</c> file pass before the app opens them. LiteDB itself would turn
/// a 0-byte file into a new empty database (a new admin, every conversation gone) and open a data file whose log was
/// left behind by a copy (the recent writes gone) without a word.
/// </summary>
public static class DataFileCheck
{
    public const string RestoreHint = "Restore it and its -log file from a backup (see docs/limits.md, 'Backups')";

    /// <summary>Throws <see cref="DataFileException"/> when the pair of files cannot be a usable database.</summary>
    public static void BeforeOpen(string dataFile, string logFile)
    {
        bool data = File.Exists(dataFile), log = File.Exists(logFile);
        if (!data && log && new FileInfo(logFile).Length > 0)
            throw new DataFileException(dataFile, "The database file is missing but its write-ahead log is present",
                $"{RestoreHint}, or move {logFile} away to start with a new empty database.");
        if (data && new FileInfo(dataFile).Length == 0)
            throw new DataFileException(dataFile, "The database file is empty (0 bytes), so it holds no users or data",
                $"{RestoreHint}, or delete it to start with a new empty database (a new admin is created).");
    }

    /// <summary>The error for a data file LiteDB could not open or read.</summary>
    public static DataFileException Damaged(string dataFile, Exception error) =>
        new(dataFile, $"The database file is damaged ({error.GetType().Name}: {error.Message})",
            $"{RestoreHint}; keep the damaged file for inspection instead of deleting it.", error);

    /// <summary>The error for a data file that was open in a process when it was copied without its log.</summary>
    public static DataFileException MissingLog(string dataFile, string logFile) =>
        new(dataFile, $"The database was last used by a process that did not close it, and its write-ahead log {Path.GetFileName(logFile)} is missing, so its most recent writes are lost",
            $"Put the {Path.GetFileName(logFile)} that belongs with it back beside it, or restore a consistent backup made with 'qwenvl backup'; to accept the loss, delete the file's 'open' marker by starting once with --Data:AcceptMissingLog=true.");
}
