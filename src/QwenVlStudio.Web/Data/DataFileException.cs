namespace QwenVlStudio.Web.Data;

/// <summary>
/// A data file the app will not use: empty, damaged, or missing the write-ahead log its data needs. The app refuses
/// to start with this message (naming the file and the fix) instead of silently re-creating or half-reading it.
/// </summary>
public sealed class DataFileException(string file, string problem, string fix, Exception? inner = null)
    : Exception($"{problem}: {file}. {fix}", inner)
{
    public string File { get; } = file;
}
