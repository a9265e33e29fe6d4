namespace QwenVlStudio.Web.Batches.Zip;

public enum ZipEntryKind
{
    /// <summary>A file read within the limits; its bytes go on to the image checks.</summary>
    File,

    /// <summary>A file that breaks a per-file limit (size, ratio, encryption, corrupt data): it fails with a reason.</summary>
    Refused,

    /// <summary>Not a candidate at all (a nested archive, macOS metadata): left out and reported.</summary>
    Skipped,
}

/// <summary>One entry of an archive as <see cref="SafeZipReader"/> saw it.</summary>
public sealed record ZipEntryResult(string FileName, ZipEntryKind Kind, byte[]? Bytes = null, string? Reason = null);
