namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// The schemas `qwenvl bench --scenarios json` times and the constrained-decoding tests validate against: one per
/// supported keyword. Strings carry a maxLength where the random-weight test model must finish them within its budget.
/// </summary>
public static class JsonBenchSchemas
{
    public static readonly IReadOnlyDictionary<string, string> ByKeyword = new Dictionary<string, string>
    {
        ["type string + minLength + maxLength"] = """{"type": "string", "minLength": 2, "maxLength": 24}""",
        ["type number"] = """{"type": "number"}""",
        ["type integer"] = """{"type": "integer"}""",
        ["type boolean"] = """{"type": "boolean"}""",
        ["type null"] = """{"type": "null"}""",
        ["type array of types"] = """{"type": ["string", "null"], "maxLength": 8}""",
        ["properties + required"] = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 16}, "age": {"type": "integer"},
             "nick": {"type": "string", "maxLength": 6}}, "required": ["name", "age"]}
            """,
        ["additionalProperties false"] = """
            {"type": "object", "properties": {"a": {"type": "boolean"}, "b": {"type": "null"}}, "additionalProperties": false}
            """,
        ["enum"] = """{"enum": ["red", "green", "blue", 42, null, {"x": [1, "two"]}]}""",
        ["const"] = """{"const": {"kind": "fixed", "n": [1, 2.5, true]}}""",
        ["integer minimum maximum"] = """{"type": "integer", "minimum": 18, "maximum": 120}""",
        ["array items minItems maxItems"] = """{"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 4}""",
        ["nested objects"] = """
            {"type": "object", "properties": {"objects": {"type": "array", "maxItems": 3, "items": {"type": "object",
             "properties": {"label": {"type": "string", "maxLength": 12},
                            "bbox_2d": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 1000}, "minItems": 4, "maxItems": 4}},
             "required": ["label", "bbox_2d"], "additionalProperties": false}}},
             "required": ["objects"], "additionalProperties": false}
            """,
        ["anyOf"] = """
            {"anyOf": [{"type": "string", "maxLength": 10}, {"type": "integer"},
                       {"type": "array", "items": {"type": "boolean"}, "maxItems": 3}]}
            """,
        ["pattern"] = """{"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2,4}$"}""",
        ["unanchored pattern + maxLength"] = """{"type": "string", "pattern": "ab|cd", "maxLength": 10}""",
        ["free-form object: additionalProperties, propertyNames, min/maxProperties"] = """
            {"type": "object", "additionalProperties": {"type": "integer"}, "propertyNames": {"maxLength": 6},
             "minProperties": 1, "maxProperties": 3}
            """,
    };
}
