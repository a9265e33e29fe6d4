using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenVlStudio.Inference.Constrained;

/// <summary>
/// Compiles the JSON-schema subset constrained decoding implements into <see cref="SchemaNode"/>s. Every keyword is
/// either implemented, an annotation that does not change which documents are valid, or refused by name: a
/// schema is never silently loosened. A schema that allows no document at all is refused too.
/// </summary>
internal static class JsonSchemaCompiler
{
    private static readonly HashSet<string> Annotations =
        ["title", "description", "$schema", "$id", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly"];

    private static readonly HashSet<string> Implemented =
        ["type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "enum", "const", "anyOf",
            "pattern", "minLength", "maxLength", "propertyNames", "minProperties", "maxProperties", "minimum", "maximum"];

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SchemaNode Compile(JsonElement schema) => Compile(schema, "#") ?? throw NothingAllowed("#", "the schema allows no document");

    /// <summary>The compiled node, or null when the (sub)schema allows no value.</summary>
    private static SchemaNode? Compile(JsonElement schema, string path)
    {
        if (schema.ValueKind == JsonValueKind.True) return AnyValueNode.Instance;
        if (schema.ValueKind == JsonValueKind.False) return null;
        if (schema.ValueKind != JsonValueKind.Object)
            throw new JsonSchemaException(null, path, $"the schema at {path} is a {Kind(schema.ValueKind)}; a schema is an object or a boolean");

        foreach (var keyword in schema.EnumerateObject())
            if (!Implemented.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
                throw new JsonSchemaException(keyword.Name, path, $"the keyword '{keyword.Name}' at {path} is not supported by constrained decoding");

        if (schema.TryGetProperty("anyOf", out var anyOf)) return CompileAnyOf(schema, anyOf, path);
        var types = ReadTypes(schema, path);
        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _)) return CompileLiterals(schema, types, path);

        var alternatives = new List<SchemaNode>();
        foreach (var type in types)
            if (CompileType(schema, type, path) is { } node) alternatives.Add(node);
        return alternatives.Count switch
        {
            0 => null,
            1 => alternatives[0],
            _ => new UnionNode([.. alternatives]),
        };
    }

    private static SchemaNode? CompileAnyOf(JsonElement schema, JsonElement anyOf, string path)
    {
        foreach (var keyword in schema.EnumerateObject())
            if (keyword.Name != "anyOf" && !Annotations.Contains(keyword.Name))
                throw new JsonSchemaException(keyword.Name, path, $"'{keyword.Name}' next to 'anyOf' at {path} is not supported; move it into each alternative");
        if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
            throw new JsonSchemaException("anyOf", path, $"'anyOf' at {path} must be a non-empty array of schemas");
        var alternatives = new List<SchemaNode>();
        int i = 0;
        foreach (var alternative in anyOf.EnumerateArray())
        {
            if (Compile(alternative, $"{path}/anyOf/{i++}") is { } node) alternatives.Add(node);
        }
        return alternatives.Count switch
        {
            0 => null,
            1 => alternatives[0],
            _ => new UnionNode([.. alternatives]),
        };
    }

    /// <summary>The types the schema allows: its "type" keyword, or the one its other keywords imply, or all.</summary>
    private static List<string> ReadTypes(JsonElement schema, string path)
    {
        string[] all = ["object", "array", "string", "number", "boolean", "null"];
        if (!schema.TryGetProperty("type", out var type))
        {
            if (Has(schema, "properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties")) return ["object"];
            if (Has(schema, "items", "minItems", "maxItems")) return ["array"];
            if (Has(schema, "pattern", "minLength", "maxLength")) return ["string"];
            return [.. all];
        }
        var names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : "").ToList(),
            _ => throw new JsonSchemaException("type", path, $"'type' at {path} must be a string or an array of strings"),
        };
        foreach (var name in names)
            if (name != "integer" && !all.Contains(name))
                throw new JsonSchemaException("type", path, $"'type' at {path} has '{name}', which is not a JSON-schema type");
        if (names.Count == 0) throw new JsonSchemaException("type", path, $"'type' at {path} is an empty array, so the schema allows nothing");
        // "integer" is a subset of "number": generating integers for both would lose the fractions.
        if (names.Contains("number")) names.Remove("integer");
        return names.Distinct().ToList();
    }

    private static SchemaNode? CompileType(JsonElement schema, string type, string path) => type switch
    {
        "object" => CompileObject(schema, path),
        "array" => CompileArray(schema, path),
        "string" => CompileString(schema, path),
        "number" => Bounded(schema, path) ?? NumberNode.AnyNumber,
        "integer" => Bounded(schema, path) ?? NumberNode.AnyInteger,
        "boolean" => new LiteralNode(["true"u8.ToArray(), "false"u8.ToArray()]),
        _ => new LiteralNode(["null"u8.ToArray()]),
    };

    /// <summary>
    /// minimum / maximum: implemented for integers with a minimum ≥ 0 (bounding boxes, counts, scores), generated as
    /// integers even for "number"; null when neither is given.
    /// </summary>
    private static NumberNode? Bounded(JsonElement schema, string path)
    {
        bool hasMin = schema.TryGetProperty("minimum", out var min), hasMax = schema.TryGetProperty("maximum", out var max);
        if (!hasMin && !hasMax) return null;
        long? Read(JsonElement value, string keyword) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 0 && n <= 999_999_999_999_999
                ? n
                : throw new JsonSchemaException(keyword, path,
                    $"'{keyword}' at {path} is supported only as a whole number from 0 to 999999999999999 (the answer is then a bounded integer)");
        long low = hasMin ? Read(min, "minimum")!.Value : 0;
        long? high = hasMax ? Read(max, "maximum") : null;
        if (high < low) throw NothingAllowed(path, $"minimum {low} is above maximum {high} at {path}");
        return new NumberNode(true, low, high);
    }

    private static SchemaNode? CompileObject(JsonElement schema, string path)
    {
        var required = new List<string>();
        if (schema.TryGetProperty("required", out var requiredList))
        {
            if (requiredList.ValueKind != JsonValueKind.Array || requiredList.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                throw new JsonSchemaException("required", path, $"'required' at {path} must be an array of strings");
            required = requiredList.EnumerateArray().Select(r => r.GetString()!).Distinct().ToList();
        }

        SchemaNode? additional = AnyValueNode.Instance;
        if (schema.TryGetProperty("additionalProperties", out var additionalSchema))
            additional = Compile(additionalSchema, $"{path}/additionalProperties");

        var properties = new List<PropertyNode>();
        if (schema.TryGetProperty("properties", out var declared))
        {
            if (declared.ValueKind != JsonValueKind.Object)
                throw new JsonSchemaException("properties", path, $"'properties' at {path} must be an object");
            foreach (var property in declared.EnumerateObject())
            {
                var valuePath = $"{path}/properties/{property.Name}";
                var value = Compile(property.Value, valuePath);
                bool isRequired = required.Contains(property.Name);
                if (value is null && isRequired)
                    throw NothingAllowed(valuePath, $"the required property '{property.Name}' at {path} allows no value");
                if (value is not null) properties.Add(new PropertyNode(property.Name, EncodeKey(property.Name), value, isRequired));
            }
        }
        foreach (var name in required.Where(r => properties.All(p => p.Name != r)))
        {
            if (additional is null)
                throw NothingAllowed(path, $"'{name}' is required at {path} but additionalProperties is false and it is not in properties");
            properties.Add(new PropertyNode(name, EncodeKey(name), additional, true));
        }
        if (properties.Count > 0 || schema.TryGetProperty("properties", out _))
        {
            foreach (var keyword in new[] { "propertyNames", "minProperties", "maxProperties" })
                if (schema.TryGetProperty(keyword, out _))
                    throw new JsonSchemaException(keyword, path, $"'{keyword}' together with declared or required properties at {path} is not supported");
            return new ObjectNode([.. properties], null); // only declared properties are generated (none possible: {})
        }
        int min = ReadCount(schema, "minProperties", path) ?? 0;
        int? max = ReadCount(schema, "maxProperties", path);
        if (max < min) throw NothingAllowed(path, $"minProperties {min} is above maxProperties {max} at {path}");
        if (additional is null && min > 0) throw NothingAllowed(path, $"minProperties is {min} but additionalProperties is false at {path}");
        SchemaNode? keys = null;
        if (schema.TryGetProperty("propertyNames", out var names))
        {
            keys = Compile(names, $"{path}/propertyNames");
            if (keys is null && min > 0) throw NothingAllowed(path, $"propertyNames allows no key but minProperties is {min} at {path}");
            if (keys is not (null or StringNode) && !(keys is LiteralNode literal && literal.Candidates.All(c => c[0] == '"')))
                throw new JsonSchemaException("propertyNames", path, $"'propertyNames' at {path} must describe strings");
            if (keys is null) additional = null;
        }
        return new ObjectNode([], additional, keys, min, additional is null ? 0 : max);
    }

    private static SchemaNode? CompileArray(JsonElement schema, string path)
    {
        int min = ReadCount(schema, "minItems", path) ?? 0;
        int? max = ReadCount(schema, "maxItems", path);
        if (max < min) throw NothingAllowed(path, $"minItems {min} is above maxItems {max} at {path}");
        SchemaNode? items = AnyValueNode.Instance;
        if (schema.TryGetProperty("items", out var itemSchema))
        {
            if (itemSchema.ValueKind == JsonValueKind.Array)
                throw new JsonSchemaException("items", path, $"'items' at {path} is an array (tuple form); use one schema for all items");
            items = Compile(itemSchema, $"{path}/items");
        }
        if (items is null && min > 0) throw NothingAllowed(path, $"the items at {path} allow no value but minItems is {min}");
        return new ArrayNode(items, min, items is null ? 0 : max);
    }

    private static SchemaNode? CompileString(JsonElement schema, string path)
    {
        int min = ReadCount(schema, "minLength", path) ?? 0;
        int? max = ReadCount(schema, "maxLength", path);
        if (max < min) throw NothingAllowed(path, $"minLength {min} is above maxLength {max} at {path}");
        StringPattern? pattern = null;
        if (schema.TryGetProperty("pattern", out var source))
        {
            if (source.ValueKind != JsonValueKind.String)
                throw new JsonSchemaException("pattern", path, $"'pattern' at {path} must be a string");
            pattern = new StringPattern(source.GetString()!, path);
            if (min > 0)
                throw new JsonSchemaException("minLength", path, $"'minLength' together with 'pattern' at {path} is not supported; put the length in the pattern");
            if (max is int bound && pattern.MinCharsToAccept(pattern.StartState) > bound)
                throw NothingAllowed(path, $"pattern '{pattern.Source}' needs more than maxLength {bound} characters at {path}");
        }
        return min == 0 && max is null && pattern is null ? StringNode.Unbounded : new StringNode(min, max, pattern);
    }

    /// <summary>enum and const, kept to the values that the schema's type allows, each written in compact form.</summary>
    private static SchemaNode? CompileLiterals(JsonElement schema, List<string> types, string path)
    {
        foreach (var keyword in schema.EnumerateObject())
            if (keyword.Name is not ("enum" or "const" or "type") && !Annotations.Contains(keyword.Name))
                throw new JsonSchemaException(keyword.Name, path, $"'{keyword.Name}' next to 'enum'/'const' at {path} is not supported");
        List<JsonElement> values;
        if (schema.TryGetProperty("enum", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
                throw new JsonSchemaException("enum", path, $"'enum' at {path} must be an array");
            values = [.. list.EnumerateArray()];
            if (schema.TryGetProperty("const", out var constant))
                values = values.Where(v => JsonElement.DeepEquals(v, constant)).ToList();
        }
        else
        {
            values = [schema.GetProperty("const")];
        }
        var candidates = values.Where(v => types.Any(t => HasType(v, t))).Select(v => JsonSerializer.SerializeToUtf8Bytes(v, Compact)).ToList();
        if (candidates.Count == 0) return null;
        return new LiteralNode(candidates);
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => value.ValueKind == JsonValueKind.Null,
    };

    private static int? ReadCount(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int count) || count < 0)
            throw new JsonSchemaException(keyword, path, $"'{keyword}' at {path} must be a non-negative integer");
        return count;
    }

    /// <summary>A key as the model must write it: quoted, with only the escapes JSON requires.</summary>
    internal static byte[] EncodeKey(string name) => JsonSerializer.SerializeToUtf8Bytes(name, Compact);

    private static bool Has(JsonElement schema, params string[] keywords) => keywords.Any(k => schema.TryGetProperty(k, out _));

    private static string Kind(JsonValueKind kind) => kind.ToString().ToLowerInvariant();

    private static JsonSchemaException NothingAllowed(string path, string why) =>
        new(null, path, $"the schema allows no document: {why}");
}
