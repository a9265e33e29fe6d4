using System.Text;

namespace QwenVlStudio.Web.Batches.Export;

/// <summary>Writes a batch's results as CSV or JSON Lines, one row per item in upload order.</summary>
public static class BatchExport
{
    public static async Task WriteCsvAsync(Stream output, BatchRecord batch, IEnumerable<BatchItemRecord> items, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, CsvWriter.Encoding, bufferSize: 16_384, leaveOpen: true);
        await CsvWriter.WriteAsync(writer, Records(batch, items), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteJsonLinesAsync(Stream output, BatchRecord batch, IEnumerable<BatchItemRecord> items, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16_384, leaveOpen: true);
        await JsonLinesWriter.WriteAsync(writer, items.Select(i => BatchResultRow.From(batch, i)), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file name for the download: the batch's name reduced to safe characters, plus its short id.</summary>
    public static string FileName(BatchRecord batch, string extension)
    {
        var safe = new string(batch.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()).Trim('-');
        if (safe.Length > 40)
            safe = safe[..40].Trim('-');
        var prefix = safe.Length > 0 ? safe + "-" : "batch-";
        return $"{prefix}{batch.Id.ToString("N")[..8]}.{extension}";
    }

    /// <summary>The columns, then one record per item; a JSON batch adds a column per top-level field of its answers.</summary>
    private static IEnumerable<IReadOnlyList<string?>> Records(BatchRecord batch, IEnumerable<BatchItemRecord> items)
    {
        var rows = items.Select(i => BatchResultRow.From(batch, i));
        if (batch.OutputFormat != BatchOutputFormat.Json)
        {
            yield return BatchResultRow.Columns;
            foreach (var row in rows)
                yield return row.CsvFields();
            yield break;
        }
        var all = rows.ToList();
        var fields = JsonAnswerColumns.Fields(batch, all);
        yield return [.. BatchResultRow.Columns, .. fields.Select(JsonAnswerColumns.ColumnName)];
        foreach (var row in all)
            yield return [.. row.CsvFields(), .. JsonAnswerColumns.Values(row, fields)];
    }
}
