namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A JSON schema given for constrained decoding is malformed, uses a keyword this engine does not implement, or
/// allows no document at all. <see cref="Keyword"/> names the keyword at fault (null when none is to blame), and
/// <see cref="SchemaPath"/> where it sits, so an API can answer 400 naming it.
/// </summary>
public sealed class JsonSchemaException(string? keyword, string schemaPath, string message) : QwenVlException(message)
{
    public string? Keyword { get; } = keyword;

    /// <summary>JSON-pointer-like path of the schema object at fault ("#", "#/properties/name" …).</summary>
    public string SchemaPath { get; } = schemaPath;
}
