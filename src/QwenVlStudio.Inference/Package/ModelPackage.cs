namespace QwenVlStudio.Inference.Package;

/// <summary>
/// A model package folder (model-package.md §0): its parsed configs and the paths of its graphs and tokenizer.
/// Loading checks that every file is there so that a broken package fails at start with a message naming the file.
/// </summary>
public sealed class ModelPackage
{
    public const string VisionGraph = "vision_encoder";
    public const string EmbedGraph = "embed_tokens";
    public const string DecoderGraph = "decoder_model_merged";
    public const string FusedDecoderGraph = "decoder_fused";
    public const string FusedVisionGraph = "vision_fused";
    /// <summary>Optional: the fused decoder for prompt chunks (S &gt; 1), docs/fused-package.md.</summary>
    public const string FusedPrefillDecoderGraph = "decoder_fused_prefill";

    private ModelPackage(string directory, ModelConfig config, FusedPackageInfo? fused)
    {
        Directory = directory;
        Config = config;
        Fused = fused;
    }

    /// <summary>onnx/fused.json when the package holds the fused graphs; null for a legacy-only package.</summary>
    public FusedPackageInfo? Fused { get; }

    public string Directory { get; }
    public ModelConfig Config { get; }
    public string Name => Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar));

    public string ConfigPath => Path.Combine(Directory, "config.json");
    public string GenerationConfigPath => Path.Combine(Directory, "generation_config.json");
    public string PreprocessorConfigPath => Path.Combine(Directory, "preprocessor_config.json");
    public string TokenizerPath => Path.Combine(Directory, "tokenizer.json");

    public string GraphPath(string graph) => Path.Combine(Directory, "onnx", graph + ".onnx");

    public bool HasGraph(string graph) => File.Exists(GraphPath(graph));

    /// <summary>The decoder format <paramref name="requested"/> resolves to for this package.</summary>
    public GraphFormat ResolveFormat(GraphFormat requested) => requested switch
    {
        GraphFormat.Auto => Fused is not null ? GraphFormat.Fused : GraphFormat.Legacy,
        GraphFormat.Fused when Fused is null => throw new ModelPackageException(
            $"model package '{Directory}' has no fused graphs (onnx/{FusedPackageInfo.FileName} is missing)"),
        _ => requested,
    };

    /// <summary>The vision graph of a format: a fused package may still ship only the legacy vision encoder.</summary>
    public string VisionGraphFor(GraphFormat format) =>
        ResolveFormat(format) == GraphFormat.Fused && HasGraph(FusedVisionGraph) ? FusedVisionGraph : VisionGraph;

    /// <summary>The decoder graph of a format; throws when the package lacks it.</summary>
    public string DecoderGraphFor(GraphFormat format)
    {
        var graph = ResolveFormat(format) == GraphFormat.Fused ? FusedDecoderGraph : DecoderGraph;
        if (!HasGraph(graph))
            throw new ModelPackageException($"model package '{Directory}' is missing onnx/{graph}.onnx");
        return graph;
    }

    public static ModelPackage Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new ModelPackageException($"model package folder '{full}' does not exist");

        var fusedJson = Path.Combine(full, "onnx", FusedPackageInfo.FileName);
        var fused = File.Exists(fusedJson) ? FusedPackageInfo.Parse(fusedJson) : null;
        // A fused package needs its fused decoder; the legacy decoder is then optional (checked when asked for).
        // Its vision graph is vision_fused when present (the quantized 2B folders ship no legacy vision encoder).
        var fusedVision = File.Exists(Path.Combine(full, "onnx", FusedVisionGraph + ".onnx")) ? FusedVisionGraph : VisionGraph;
        var graphs = fused is null ? new[] { VisionGraph, EmbedGraph, DecoderGraph } : new[] { fusedVision, EmbedGraph, FusedDecoderGraph };
        var required = new[] { "config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json" }
            .Concat(graphs.Select(g => Path.Combine("onnx", g + ".onnx")));
        var missing = required.Where(f => !File.Exists(Path.Combine(full, f))).ToList();
        if (missing.Count > 0)
            throw new ModelPackageException($"model package '{full}' is missing {string.Join(", ", missing)}");

        foreach (var graph in new[] { VisionGraph, EmbedGraph, DecoderGraph, FusedDecoderGraph, FusedVisionGraph, FusedPrefillDecoderGraph })
        {
            // Packages shipped as graphs + manifest (2b-shape) need their weights written first.
            var manifest = Path.Combine(full, "onnx", graph + ".manifest.json");
            var data = Path.Combine(full, "onnx", graph + ".onnx_data");
            if (File.Exists(manifest) && !File.Exists(data))
                throw new ModelPackageException(
                    $"model package '{full}' has no weights for {graph} ({data} is missing): run 'qwenvl make-weights --package {full}' first");
        }

        ModelConfig config;
        try
        {
            config = ModelConfig.Parse(File.ReadAllText(Path.Combine(full, "config.json")),
                File.ReadAllText(Path.Combine(full, "generation_config.json")));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ModelPackageException($"model package '{full}': config.json or generation_config.json is not valid JSON: {e.Message}", e);
        }
        return new ModelPackage(full, config, fused);
    }
}
