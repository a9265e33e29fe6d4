using System.IO.Compression;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Batches.Zip;

/// <summary>
/// Reads the files of an uploaded zip archive without trusting it: the entry count is checked before the
/// directory is parsed, declared sizes and compression ratios before an entry is inflated, and the bytes actually
/// inflated are counted against the same limits (a header may lie). Entry paths are never used as file paths;
/// nested archives and system metadata are skipped. Entries come out one at a time, so at most one file is in
/// memory.
/// </summary>
public static class SafeZipReader
{
    /// <summary>The archive's entries in directory order.</summary>
    /// <param name="archive">A seekable stream over the whole archive; left open.</param>
    /// <exception cref="ArchiveRefusedException">
    /// Not a zip, more entries than allowed, or more bytes in total than allowed (possibly only found while reading:
    /// the caller must then drop what it already took from this archive).
    /// </exception>
    public static IEnumerable<ZipEntryResult> Read(Stream archive, ZipLimits limits)
    {
        var count = ZipDirectoryProbe.CountEntries(archive);
        if (count > limits.MaxEntries)
            throw new ArchiveRefusedException($"The archive has {count:N0} entries; the limit is {limits.MaxEntries:N0}.");
        archive.Seek(0, SeekOrigin.Begin);
        return ReadEntries(Open(archive), limits);
    }

    private static ZipArchive Open(Stream archive)
    {
        try
        {
            return new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiveRefusedException($"The zip archive cannot be read: {ex.Message}", ex);
        }
    }

    private static IEnumerable<ZipEntryResult> ReadEntries(ZipArchive zip, ZipLimits limits)
    {
        using (zip)
        {
            var entries = zip.Entries;
            if (entries.Count > limits.MaxEntries)
                throw new ArchiveRefusedException($"The archive has {entries.Count:N0} entries; the limit is {limits.MaxEntries:N0}.");
            var declared = entries.Where(e => !ZipEntryNames.IsDirectory(e.FullName)).Sum(e => Math.Max(e.Length, 0));
            if (declared > limits.MaxTotalBytes)
                throw new ArchiveRefusedException(
                    $"The archive unpacks to {ImageUploadValidator.FormatBytes(declared)}; the limit is {ImageUploadValidator.FormatBytes(limits.MaxTotalBytes)}.");

            long inflated = 0;
            var position = 0;
            foreach (var entry in entries)
            {
                if (ZipEntryNames.IsDirectory(entry.FullName))
                    continue;
                var name = ZipEntryNames.DisplayName(entry.FullName, position++);
                var result = ReadEntry(entry, name, limits, limits.MaxTotalBytes - inflated);
                inflated += result.Bytes?.Length ?? 0;
                yield return result;
            }
        }
    }

    private static ZipEntryResult ReadEntry(ZipArchiveEntry entry, string name, ZipLimits limits, long totalLeft)
    {
        if (ZipEntryNames.IsSystemMetadata(entry.FullName))
            return new ZipEntryResult(name, ZipEntryKind.Skipped, Reason: "system metadata, not an image");
        if (ZipEntryNames.IsNestedArchive(entry.FullName))
            return new ZipEntryResult(name, ZipEntryKind.Skipped, Reason: "archives inside the archive are ignored");
        if (entry.IsEncrypted)
            return Refused(name, "it is encrypted; add it without a password");
        if (entry.Length > limits.MaxEntryBytes)
            return Refused(name, $"it unpacks to {ImageUploadValidator.FormatBytes(entry.Length)}; the limit per file is {ImageUploadValidator.FormatBytes(limits.MaxEntryBytes)}");
        if (TooCompressed(entry.Length, entry.CompressedLength, limits))
            return Refused(name, RatioReason(entry.Length, entry.CompressedLength, limits));

        var cap = Math.Min(limits.MaxEntryBytes, totalLeft);
        byte[]? bytes;
        try
        {
            using var stream = entry.Open();
            bytes = ReadAtMost(stream, cap);
        }
        catch (InvalidDataException ex)
        {
            return Refused(name, $"its data in the archive is corrupt ({ex.Message})");
        }

        if (bytes is null)
        {
            if (cap < limits.MaxEntryBytes)
                throw new ArchiveRefusedException(
                    $"The archive unpacks to more than {ImageUploadValidator.FormatBytes(limits.MaxTotalBytes)} (its sizes are not what it declares).");
            return Refused(name, $"it unpacks to more than {ImageUploadValidator.FormatBytes(limits.MaxEntryBytes)} although it declares {ImageUploadValidator.FormatBytes(entry.Length)}");
        }

        if (TooCompressed(bytes.Length, entry.CompressedLength, limits))
            return Refused(name, RatioReason(bytes.Length, entry.CompressedLength, limits));
        return new ZipEntryResult(name, ZipEntryKind.File, bytes);
    }

    private static bool TooCompressed(long uncompressed, long compressed, ZipLimits limits) =>
        uncompressed >= ZipLimits.RatioCheckFromBytes && uncompressed > limits.MaxCompressionRatio * Math.Max(compressed, 1);

    private static string RatioReason(long uncompressed, long compressed, ZipLimits limits) =>
        $"it is compressed {uncompressed / (double)Math.Max(compressed, 1):N0}:1, over the {limits.MaxCompressionRatio:N0}:1 limit (a zip bomb?)";

    private static ZipEntryResult Refused(string name, string reason) => new(name, ZipEntryKind.Refused, Reason: reason);

    /// <summary>The whole stream, or null as soon as it proves longer than <paramref name="cap"/> bytes.</summary>
    private static byte[]? ReadAtMost(Stream stream, long cap)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += read;
            if (total > cap)
                return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
