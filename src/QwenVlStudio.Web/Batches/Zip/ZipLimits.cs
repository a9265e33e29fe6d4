namespace QwenVlStudio.Web.Batches.Zip;

/// <summary>
/// What an uploaded archive may hold. Entry count and total size bound the whole archive (over them it is refused);
/// entry size and compression ratio bound each file (over them that file fails, the rest go on).
/// </summary>
public sealed record ZipLimits(int MaxEntries, long MaxTotalBytes, long MaxEntryBytes, double MaxCompressionRatio)
{
    /// <summary>Below this many uncompressed bytes the ratio is not checked: a small file cannot be a bomb.</summary>
    public const long RatioCheckFromBytes = 1024 * 1024;
}
