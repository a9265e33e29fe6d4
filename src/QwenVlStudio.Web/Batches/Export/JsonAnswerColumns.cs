using System.Text.Json;

namespace QwenVlStudio.Web.Batches.Export;

/// <summary>
/// The CSV columns of a JSON batch's top-level answer fields, "answer.&lt;field&gt;": the schema's properties in
/// order, then any other key the answers have, in order of first appearance. Strings are written as text, other
/// values as compact JSON; a field an answer lacks (or an answer that is not an object) leaves the cell empty.
/// </summary>
public static class JsonAnswerColumns
{
    public static IReadOnlyList<string> Fields(BatchRecord batch, IEnumerable<BatchResultRow> rows)
    {
        var fields = new List<string>();
        if (BatchJsonConstraints.For(batch) is { } constraint) fields.AddRange(constraint.TopLevelProperties);
        var seen = fields.ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows)
            if (row.AnswerJson is { ValueKind: JsonValueKind.Object } answer)
                foreach (var property in answer.EnumerateObject())
                    if (seen.Add(property.Name)) fields.Add(property.Name);
        return fields;
    }

    public static string ColumnName(string field) => "answer." + field;

    public static IEnumerable<string?> Values(BatchResultRow row, IReadOnlyList<string> fields) => fields.Select(field =>
        row.AnswerJson is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty(field, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null);
}
