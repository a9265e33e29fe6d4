using System.Text.Json;

namespace QwenVlStudio.Inference.Package;

/// <summary>
/// Every number the engine uses, parsed from config.json and generation_config.json and checked for consistency
/// (model-package.md §1). Nothing about the model's shape is hard-coded anywhere else.
/// </summary>
public sealed record ModelConfig
{
    public required TextModelConfig Text { get; init; }
    public required VisionModelConfig Vision { get; init; }
    public required SpecialTokenIds Tokens { get; init; }

    public static ModelConfig Parse(string configJson, string generationConfigJson)
    {
        using var config = JsonDocument.Parse(configJson);
        using var generation = JsonDocument.Parse(generationConfigJson);
        var root = config.RootElement;
        var text = Section(root, "text_config");
        var vision = Section(root, "vision_config");
        var rope = Section(text, "rope_parameters", "text_config.");

        var result = new ModelConfig
        {
            Text = new TextModelConfig
            {
                HiddenSize = Int(text, "hidden_size", "text_config."),
                NumLayers = Int(text, "num_hidden_layers", "text_config."),
                NumAttentionHeads = Int(text, "num_attention_heads", "text_config."),
                NumKeyValueHeads = Int(text, "num_key_value_heads", "text_config."),
                HeadDim = Int(text, "head_dim", "text_config."),
                VocabSize = Int(text, "vocab_size", "text_config."),
                MaxPositionEmbeddings = Int(text, "max_position_embeddings", "text_config."),
                MropeSection = IntList(rope, "mrope_section", "text_config.rope_parameters."),
                RopeTheta = Double(rope, "rope_theta", "text_config.rope_parameters."),
            },
            Vision = new VisionModelConfig
            {
                Depth = Int(vision, "depth", "vision_config."),
                HiddenSize = Int(vision, "hidden_size", "vision_config."),
                NumHeads = Int(vision, "num_heads", "vision_config."),
                OutHiddenSize = Int(vision, "out_hidden_size", "vision_config."),
                PatchSize = Int(vision, "patch_size", "vision_config."),
                TemporalPatchSize = Int(vision, "temporal_patch_size", "vision_config."),
                SpatialMergeSize = Int(vision, "spatial_merge_size", "vision_config."),
                InChannels = Int(vision, "in_channels", "vision_config."),
                NumPositionEmbeddings = Int(vision, "num_position_embeddings", "vision_config."),
                DeepstackVisualIndexes = IntList(vision, "deepstack_visual_indexes", "vision_config."),
            },
            Tokens = new SpecialTokenIds
            {
                ImagePad = Int(root, "image_token_id", ""),
                VideoPad = Int(root, "video_token_id", ""),
                VisionStart = Int(root, "vision_start_token_id", ""),
                VisionEnd = Int(root, "vision_end_token_id", ""),
                Eos = EosIds(generation.RootElement, text),
                Pad = generation.RootElement.TryGetProperty("pad_token_id", out var pad) && pad.ValueKind == JsonValueKind.Number
                    ? pad.GetInt32() : null,
            },
        };
        result.Validate();
        return result;
    }

    private void Validate()
    {
        var problems = new List<string>();
        if (Text.HiddenSize != Vision.OutHiddenSize)
            problems.Add($"text_config.hidden_size ({Text.HiddenSize}) != vision_config.out_hidden_size ({Vision.OutHiddenSize})");
        if (Text.NumKeyValueHeads <= 0 || Text.NumAttentionHeads % Text.NumKeyValueHeads != 0)
            problems.Add($"num_attention_heads ({Text.NumAttentionHeads}) is not a multiple of num_key_value_heads ({Text.NumKeyValueHeads})");
        if (Text.MropeSection.Count != 3 || Text.MropeSection.Sum() != Text.HeadDim / 2)
            problems.Add($"mrope_section [{string.Join(",", Text.MropeSection)}] must have 3 entries summing to head_dim/2 ({Text.HeadDim / 2})");
        if (Vision.DeepstackVisualIndexes.Any(i => i < 0 || i >= Vision.Depth))
            problems.Add($"deepstack_visual_indexes [{string.Join(",", Vision.DeepstackVisualIndexes)}] must lie in 0..depth-1 ({Vision.Depth - 1})");
        if (Vision.DeepstackCount > Text.NumLayers)
            problems.Add($"{Vision.DeepstackCount} DeepStack levels but only {Text.NumLayers} decoder layers");
        int g = Vision.PositionGridSide;
        if (g * g != Vision.NumPositionEmbeddings)
            problems.Add($"vision_config.num_position_embeddings ({Vision.NumPositionEmbeddings}) is not a square");
        if (Vision.SpatialMergeSize <= 0 || Vision.PatchSize <= 0 || Vision.TemporalPatchSize <= 0)
            problems.Add("patch_size, temporal_patch_size and spatial_merge_size must be positive");
        if (Tokens.Eos.Count == 0)
            problems.Add("no eos_token_id in generation_config.json or text_config");
        foreach (var (name, id) in new[] { ("image_token_id", Tokens.ImagePad), ("vision_start_token_id", Tokens.VisionStart), ("vision_end_token_id", Tokens.VisionEnd) })
            if (id < 0 || id >= Text.VocabSize)
                problems.Add($"{name} {id} is outside the vocabulary (0..{Text.VocabSize - 1})");
        if (problems.Count > 0)
            throw new ModelPackageException("config.json is inconsistent: " + string.Join("; ", problems));
    }

    private static IReadOnlyList<int> EosIds(JsonElement generation, JsonElement text)
    {
        var source = generation.TryGetProperty("eos_token_id", out var eos) ? eos
            : text.TryGetProperty("eos_token_id", out var textEos) ? textEos : default;
        return source.ValueKind switch
        {
            JsonValueKind.Number => [source.GetInt32()],
            JsonValueKind.Array => source.EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            _ => [],
        };
    }

    private static JsonElement Section(JsonElement parent, string name, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
            throw new ModelPackageException($"config.json has no '{prefix}{name}' section");
        return value;
    }

    private static int Int(JsonElement parent, string name, string prefix)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
            throw new ModelPackageException($"config.json: '{prefix}{name}' is missing or not an integer");
        return result;
    }

    private static double Double(JsonElement parent, string name, string prefix)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
            throw new ModelPackageException($"config.json: '{prefix}{name}' is missing or not a number");
        return value.GetDouble();
    }

    private static IReadOnlyList<int> IntList(JsonElement parent, string name, string prefix)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw new ModelPackageException($"config.json: '{prefix}{name}' is missing or not a list");
        return value.EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }
}
