using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenVlStudio.Web.Batches.Export;

/// <summary>
/// JSON Lines: one JSON object per line, LF-terminated. Line breaks inside values are escaped by JSON, so a record
/// never spans lines; non-ASCII text of the basic plane is written as itself (UTF-8). Characters beyond it (emoji)
/// come out as \u surrogate pairs, which every JSON reader turns back into the same characters.
/// </summary>
public static class JsonLinesWriter
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Line<T>(T record) => JsonSerializer.Serialize(record, Options) + "\n";

    public static async Task WriteAsync<T>(TextWriter writer, IEnumerable<T> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(Line(record)).ConfigureAwait(false);
        }
    }
}
