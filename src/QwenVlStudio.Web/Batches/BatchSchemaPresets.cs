namespace QwenVlStudio.Web.Batches;

/// <summary>Ready-made JSON schemas for the batch form: the shapes bulk image analysis asks for most.</summary>
public static class BatchSchemaPresets
{
    public sealed record Preset(string Name, string Prompt, string Schema);

    public static readonly IReadOnlyList<Preset> All =
    [
        new("Caption", "Describe this image in one sentence.", """
            {"type": "object", "properties": {"caption": {"type": "string", "maxLength": 300}},
             "required": ["caption"], "additionalProperties": false}
            """),
        new("Tags", "List up to ten tags for this image.", """
            {"type": "object", "properties": {"tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 30}}},
             "required": ["tags"], "additionalProperties": false}
            """),
        new("OCR lines", "Read every line of text in this image.", """
            {"type": "object", "properties": {"lines": {"type": "array", "maxItems": 100, "items": {"type": "string", "maxLength": 200}}},
             "required": ["lines"], "additionalProperties": false}
            """),
        new("Objects with boxes", Inference.Grounding.GroundingBoxes.Prompt, Inference.Grounding.GroundingBoxes.Schema),
    ];
}
