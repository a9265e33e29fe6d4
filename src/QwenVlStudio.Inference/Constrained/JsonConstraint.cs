using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// A compiled JSON constraint for <see cref="Generation.GenerationOptions.Constraint"/>: the answer is then a JSON
/// document the schema accepts (or any JSON object, for OpenAI's <c>json_object</c>), enforced by masking every
/// token that could not continue one. Immutable and shareable between requests, which then share its cache of
/// masks per parser state.
/// </summary>
public sealed class JsonConstraint
{
    /// <summary>Masks kept per constraint and vocabulary; past this the cache starts over (a mask is ~19 KB).</summary>
    public const int MaxCachedMasks = 2048;

    private readonly ConditionalWeakTable<TokenVocabulary, ConcurrentDictionary<ParserState, ulong[]>> _masks = new();

    private JsonConstraint(SchemaNode root, string description)
    {
        Root = root;
        Description = description;
    }

    /// <summary>Any JSON object: OpenAI's <c>response_format: {"type": "json_object"}</c>.</summary>
    public static JsonConstraint AnyObject { get; } = new(ObjectNode.FreeForm, "any JSON object");

    /// <summary>Any JSON value (object, array, string, number, boolean or null).</summary>
    public static JsonConstraint AnyValue { get; } = new(AnyValueNode.Instance, "any JSON value");

    /// <summary>"any JSON object", "any JSON value" or "JSON schema".</summary>
    public string Description { get; }

    internal SchemaNode Root { get; }

    /// <summary>The declared properties of the root object, in order (empty when the root is not such an object): export columns.</summary>
    public IReadOnlyList<string> TopLevelProperties => Root is ObjectNode o ? o.Properties.Select(p => p.Name).ToArray() : [];

    /// <summary>Compiles a JSON schema; throws <see cref="JsonSchemaException"/> naming an unsupported keyword, or when it allows nothing.</summary>
    public static JsonConstraint FromSchema(JsonElement schema) => new(JsonSchemaCompiler.Compile(schema), "JSON schema");

    /// <summary>Compiles a JSON schema given as text.</summary>
    public static JsonConstraint FromSchema(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        try
        {
            using var document = JsonDocument.Parse(schemaJson);
            return FromSchema(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new JsonSchemaException(null, "#", $"the schema is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A fresh cursor for one answer.</summary>
    internal ConstraintCursor Start(TokenVocabulary vocabulary) => new(this, vocabulary, ParserState.Start(Root));

    /// <summary>The mask of <paramref name="state"/>, computed once per constraint and vocabulary.</summary>
    internal ulong[] MaskOf(TokenVocabulary vocabulary, ParserState state)
    {
        var cache = _masks.GetValue(vocabulary, _ => new ConcurrentDictionary<ParserState, ulong[]>());
        if (cache.TryGetValue(state, out var mask)) return mask;
        mask = TokenMaskBuilder.Build(vocabulary, state);
        if (cache.Count >= MaxCachedMasks) cache.Clear();
        cache[state] = mask;
        return mask;
    }
}
