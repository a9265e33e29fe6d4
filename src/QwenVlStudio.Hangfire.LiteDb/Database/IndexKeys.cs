using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QwenVlStudio.Hangfire.LiteDb.Database;

/// <summary>
/// Composite string keys for LiteDB indexes, which index one value per document. Parts are joined with U+0001 and
/// numbers are fixed-width, so ordinal order of a key is the order of its parts; all keys of one owner lie in the
/// range [<see cref="RangeStart"/>, <see cref="RangeEnd"/>).
/// </summary>
internal static class IndexKeys
{
    private const char Separator = '\u0001';
    private const char AfterSeparator = '\u0002';

    // LiteDB refuses index keys above 1023 bytes; stay well below, the owner key is part of every composite key.
    private const int MaxOwnerKeyBytes = 300;
    private const int MaxLiteralValueBytes = 400;
    private const int OrderValuePrefixChars = 100;

    /// <summary>Start of the range holding every composite key of <paramref name="owner"/>.</summary>
    public static string RangeStart(string owner) => owner + Separator;

    /// <summary>End (exclusive) of the range holding every composite key of <paramref name="owner"/>.</summary>
    public static string RangeEnd(string owner) => owner + AfterSeparator;

    /// <summary>
    /// Checks a key (set, list, hash, counter, queue or state name) before it is written, so that bad input fails
    /// at the call with a clear error instead of failing the commit.
    /// </summary>
    public static void ValidateOwnerKey(string key, string parameterName)
    {
        if (key.Contains(Separator) || key.Contains(AfterSeparator))
        {
            throw new ArgumentException("The key must not contain the control characters U+0001 or U+0002.", parameterName);
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxOwnerKeyBytes)
        {
            throw new ArgumentException(
                $"The key is longer than {MaxOwnerKeyBytes} UTF-8 bytes, which the LiteDB storage cannot index.",
                parameterName);
        }
    }

    /// <summary>Entry waiting in a queue, ordered first in, first out.</summary>
    public static string Waiting(string queue, long entryId) => queue + Separator + Fixed(entryId);

    /// <summary>Job in a state: state name (case-insensitive), then state time, then id.</summary>
    public static string StateList(string stateName, DateTime stateCreatedAt, long jobId) =>
        StateListOwner(stateName) + Separator + Fixed(stateCreatedAt.Ticks) + Separator + Fixed(jobId);

    public static string StateListOwner(string stateName) => stateName.ToUpperInvariant();

    /// <summary>Identity of a set member: unique per set and value (long values are replaced by their digest).</summary>
    public static string SetMember(string key, string value)
    {
        var literal = Encoding.UTF8.GetByteCount(value) <= MaxLiteralValueBytes;
        return key + Separator + (literal ? "=" + value : "#" + Digest(value));
    }

    /// <summary>Order of a set member: score, then value, as Hangfire's sorted sets are ordered.</summary>
    public static string SetOrder(string key, double score, string value)
    {
        var valuePrefix = value.Length <= OrderValuePrefixChars ? value : value[..OrderValuePrefixChars];
        return SetScoreBound(key, score) + Separator + valuePrefix;
    }

    /// <summary>Lowest order key of members with exactly <paramref name="score"/>.</summary>
    public static string SetScoreBound(string key, double score) => key + Separator + SortableScore(score);

    /// <summary>Highest order key (exclusive) of members with exactly <paramref name="score"/>.</summary>
    public static string SetScoreBoundEnd(string key, double score) => SetScoreBound(key, score) + AfterSeparator;

    /// <summary>Order of a list item: newest first, as items are pushed at the head of Hangfire lists.</summary>
    public static string ListItem(string key, long itemId) => key + Separator + Fixed(long.MaxValue - itemId);

    private static string Fixed(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    // Maps a double onto 16 hex digits whose ordinal order is the numeric order (sign bit flipped for positives,
    // all bits flipped for negatives), the usual trick for sortable floating-point keys.
    private static string SortableScore(double score)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(score == 0 ? 0d : score);
        bits = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
        return bits.ToString("X16", CultureInfo.InvariantCulture);
    }

    private static string Digest(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
