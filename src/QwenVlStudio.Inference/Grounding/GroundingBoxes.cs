using System.Text.Json;

namespace QwenVlStudio.Inference.Grounding;

/// <summary>
/// Qwen3-VL's grounding format: objects with a <c>label</c> and a <c>bbox_2d</c> of [x1, y1, x2, y2] on a 0–1000
/// grid relative to the image the model saw. Relative coordinates make the model's resizing irrelevant: a box
/// scales to the upright original (the orientation the model saw, since the decoder applies EXIF before
/// resizing) by width / 1000 and height / 1000.
/// </summary>
public static class GroundingBoxes
{
    public const int Grid = 1000;

    /// <summary>The answer shape the "find objects" mode constrains to (works with any JSON-schema client too).</summary>
    public const string Schema = """
        {"type": "object", "properties": {"objects": {"type": "array", "maxItems": 20, "items": {"type": "object",
          "properties": {"label": {"type": "string", "maxLength": 40},
                         "bbox_2d": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 1000}, "minItems": 4, "maxItems": 4}},
          "required": ["label", "bbox_2d"], "additionalProperties": false}}},
         "required": ["objects"], "additionalProperties": false}
        """;

    public const string Prompt = "Find the objects in this image. For each, give its label and its bounding box bbox_2d as [x1, y1, x2, y2] on a 0-1000 grid.";

    /// <summary>A 0–1000 grid box in pixels of an upright image of <paramref name="width"/> × <paramref name="height"/>; corners in any order, clamped to the grid.</summary>
    public static PixelBox ToPixels(ReadOnlySpan<double> bbox, int width, int height)
    {
        if (bbox.Length != 4) throw new ArgumentException($"bbox_2d has {bbox.Length} numbers instead of 4", nameof(bbox));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        double x1 = Clamp(bbox[0]), y1 = Clamp(bbox[1]), x2 = Clamp(bbox[2]), y2 = Clamp(bbox[3]);
        double sx = width / (double)Grid, sy = height / (double)Grid;
        return new PixelBox(Math.Min(x1, x2) * sx, Math.Min(y1, y2) * sy, Math.Max(x1, x2) * sx, Math.Max(y1, y2) * sy);
    }

    /// <summary>
    /// The objects of an answer: <c>{"objects": [...]}</c> or a bare array of <c>{"label", "bbox_2d"}</c> (how the
    /// model writes it without a schema). Entries without a four-number bbox_2d are skipped; a label may be missing.
    /// </summary>
    public static IReadOnlyList<GroundedObject> Parse(string answerJson, int width, int height)
    {
        using var document = JsonDocument.Parse(answerJson);
        var root = document.RootElement;
        var list = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("objects", out var objects) ? objects : root;
        if (list.ValueKind != JsonValueKind.Array) return [];
        var found = new List<GroundedObject>();
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("bbox_2d", out var bbox) || bbox.ValueKind != JsonValueKind.Array
                || bbox.GetArrayLength() != 4 || bbox.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                continue;
            var corners = bbox.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            string label = entry.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "";
            found.Add(new GroundedObject(label, ToPixels(corners, width, height)));
        }
        return found;
    }

    private static double Clamp(double v) => Math.Clamp(v, 0, Grid);
}
