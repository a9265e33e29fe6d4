using System.Collections.Concurrent;
using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// The JSON constraint of a JSON batch: its schema compiled once and shared by all its items (and by batches with
/// the same schema), so the token masks one item computes serve the next; no schema: any JSON value.
/// </summary>
public static class BatchJsonConstraints
{
    private const int MaxSchemas = 32;
    private static readonly ConcurrentDictionary<string, JsonConstraint> Compiled = new(StringComparer.Ordinal);

    /// <summary>The constraint of <paramref name="batch"/>, or null for free-text batches.</summary>
    public static JsonConstraint? For(BatchRecord batch)
    {
        if (batch.OutputFormat != BatchOutputFormat.Json) return null;
        if (string.IsNullOrWhiteSpace(batch.JsonSchema)) return JsonConstraint.AnyValue;
        if (Compiled.TryGetValue(batch.JsonSchema, out var constraint)) return constraint;
        constraint = JsonConstraint.FromSchema(batch.JsonSchema);
        if (Compiled.Count >= MaxSchemas) Compiled.Clear();
        return Compiled.GetOrAdd(batch.JsonSchema, constraint);
    }

    /// <summary>Why <paramref name="schema"/> cannot constrain answers (for the form and for batch creation), or null when it can.</summary>
    public static string? Problem(string schema)
    {
        try
        {
            JsonConstraint.FromSchema(schema);
            return null;
        }
        catch (JsonSchemaException e)
        {
            return $"The JSON schema cannot be used: {e.Message}.";
        }
    }
}
