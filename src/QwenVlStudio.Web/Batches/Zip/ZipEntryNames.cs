namespace QwenVlStudio.Web.Batches.Zip;

/// <summary>
/// Names of archive entries for display only. The archive's path is never used to build a file path (zip-slip):
/// only its last segment is kept, without control or direction-override characters.
/// </summary>
public static class ZipEntryNames
{
    public const int MaxLength = 200;

    private static readonly HashSet<string> ArchiveExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".lz", ".lzma",
        ".cab", ".iso", ".jar", ".war", ".apk", ".cpio", ".arj",
    };

    /// <summary>The last path segment of <paramref name="entryName"/>, cleaned; "file N" when nothing is left.</summary>
    public static string DisplayName(string entryName, int position)
    {
        var lastSlash = entryName.LastIndexOfAny(['/', '\\']);
        var leaf = lastSlash >= 0 ? entryName[(lastSlash + 1)..] : entryName;
        var cleaned = new string(leaf.Where(c => !char.IsControl(c) && !IsDirectionOverride(c)).ToArray()).Trim();
        if (cleaned is "" or "." or "..")
            return $"file {position + 1}";
        return cleaned.Length <= MaxLength ? cleaned : cleaned[..MaxLength];
    }

    public static bool IsDirectory(string entryName) => entryName.EndsWith('/') || entryName.EndsWith('\\');

    public static bool IsNestedArchive(string entryName) => ArchiveExtensions.Contains(Path.GetExtension(DisplayName(entryName, 0)));

    /// <summary>Resource forks and folder metadata that macOS and Windows add to archives.</summary>
    public static bool IsSystemMetadata(string entryName)
    {
        var normalized = entryName.Replace('\\', '/');
        var leaf = DisplayName(entryName, 0);
        return normalized.StartsWith("__MACOSX/", StringComparison.Ordinal)
            || normalized.Contains("/__MACOSX/", StringComparison.Ordinal)
            || leaf.StartsWith("._", StringComparison.Ordinal)
            || leaf is ".DS_Store" or "Thumbs.db" or "desktop.ini";
    }

    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
