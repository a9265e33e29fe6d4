using System.Text;

namespace QwenVlStudio.Web.Batches.Export;

/// <summary>
/// RFC 4180 CSV: fields separated by commas, records by CRLF; a field is quoted when it holds a comma, a quote, a
/// line break or leading/trailing spaces, and quotes inside it are doubled. Text is written as it is (UTF-8 when
/// the writer is), so any Unicode survives.
/// </summary>
public static class CsvWriter
{
    /// <summary>UTF-8 with a byte-order mark: spreadsheet programs then read non-ASCII text correctly.</summary>
    public static Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var needsQuotes = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]);
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Record(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static async Task WriteAsync(TextWriter writer, IEnumerable<IReadOnlyList<string?>> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(Record(record)).ConfigureAwait(false);
        }
    }
}
