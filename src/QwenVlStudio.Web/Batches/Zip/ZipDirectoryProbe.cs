using System.Buffers.Binary;

namespace QwenVlStudio.Web.Batches.Zip;

/// <summary>
/// Reads the entry count from an archive's end-of-central-directory record (zip64 included) before the archive
/// is parsed, so that a directory of millions of entries is refused without being loaded.
/// </summary>
public static class ZipDirectoryProbe
{
    private const uint EndOfDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndOfDirectorySignature = 0x06064b50;
    private const int EndOfDirectoryLength = 22;
    private const int MaxCommentLength = 0xFFFF;

    /// <exception cref="ArchiveRefusedException">No end-of-central-directory record: not a zip archive.</exception>
    public static long CountEntries(Stream archive)
    {
        if (!archive.CanSeek)
            throw new ArgumentException("The archive stream must be seekable.", nameof(archive));
        var tailLength = (int)Math.Min(archive.Length, EndOfDirectoryLength + MaxCommentLength);
        var tail = new byte[tailLength];
        archive.Seek(-tailLength, SeekOrigin.End);
        archive.ReadExactly(tail);

        for (var at = tailLength - EndOfDirectoryLength; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndOfDirectorySignature)
                continue;
            var count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            var locatorAt = at - 20;
            var isZip64 = locatorAt >= 0 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(locatorAt)) == Zip64LocatorSignature;
            if (!isZip64)
                return count;
            var zip64RecordOffset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(locatorAt + 8));
            return ReadZip64Count(archive, zip64RecordOffset);
        }

        throw new ArchiveRefusedException("The file is not a zip archive (no zip directory at its end).");
    }

    private static long ReadZip64Count(Stream archive, long recordOffset)
    {
        if (recordOffset < 0 || recordOffset > archive.Length - 56)
            throw new ArchiveRefusedException("The zip archive is corrupt (its zip64 directory points outside the file).");
        var record = new byte[56];
        archive.Seek(recordOffset, SeekOrigin.Begin);
        archive.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndOfDirectorySignature)
            throw new ArchiveRefusedException("The zip archive is corrupt (bad zip64 directory record).");
        var count = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        return count > long.MaxValue ? long.MaxValue : (long)count;
    }
}
