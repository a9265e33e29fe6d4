using System.Text.Json;
using System.Text.RegularExpressions;
using QwenVlStudio.Inference.Constrained;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// OpenAI's <c>response_format</c>: <c>text</c> (the default), <c>json_object</c> (any JSON object) or
/// <c>json_schema</c> with <c>{"name", "schema", "strict", "description"}</c>, compiled to the engine's JSON
/// constraint. The constraint is always enforced, strict or not; a schema the engine cannot honour is a 400
/// naming the keyword, never a silently looser answer.
/// </summary>
public static partial class ResponseFormatParser
{
    private const string Param = "response_format";

    /// <summary>The constraint <paramref name="body"/>'s response_format asks for, or null for plain text.</summary>
    public static JsonConstraint? Parse(JsonElement body)
    {
        if (!body.TryGetProperty(Param, out var format) || format.ValueKind == JsonValueKind.Null) return null;
        if (format.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("response_format must be an object such as {\"type\": \"json_object\"}.", Param);
        string? type = format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return type switch
        {
            "text" => null,
            "json_object" => JsonConstraint.AnyObject,
            "json_schema" => Schema(format),
            null => throw ApiException.BadRequest("response_format.type is required: text, json_object or json_schema.", $"{Param}.type"),
            _ => throw ApiException.BadRequest($"response_format '{type}' is not supported; use text, json_object or json_schema.",
                $"{Param}.type", "unsupported_response_format"),
        };
    }

    private static JsonConstraint Schema(JsonElement format)
    {
        const string at = $"{Param}.json_schema";
        if (!format.TryGetProperty("json_schema", out var definition) || definition.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("response_format.json_schema must be an object with a name and a schema.", at);
        if (!definition.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || !ValidName().IsMatch(name.GetString()!))
            throw ApiException.BadRequest("response_format.json_schema.name is required: up to 64 letters, digits, underscores or dashes.", $"{at}.name");
        if (definition.TryGetProperty("strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            throw ApiException.BadRequest("response_format.json_schema.strict must be true or false.", $"{at}.strict");
        if (!definition.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("response_format.json_schema.schema is required.", $"{at}.schema");
        try
        {
            return JsonConstraint.FromSchema(schema);
        }
        catch (JsonSchemaException e)
        {
            throw ApiException.BadRequest($"response_format.json_schema.schema: {e.Message}.", $"{at}.schema",
                e.Keyword is null ? "invalid_schema" : "unsupported_schema_keyword");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidName();
}
