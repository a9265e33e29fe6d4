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

    /// <summary>The fused vision encoder (docs/fused-package.md): same inputs and outputs as <see cref="VisionGraph"/>.</summary>
    public const string FusedVisionGraph = "vision_fused";

    private ModelPackage(string directory, ModelConfig config)
    {
        Directory = directory;
        Config = config;
    }

    public string Directory { get; }
    public ModelConfig Config { get; }
    public string Name => Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar));

    public string ConfigPath => Path.Combine(Directory, "config.json");
    public string GenerationConfigPath => Path.Combine(Directory, "generation_config.json");
    public string PreprocessorConfigPath => Path.Combine(Directory, "preprocessor_config.json");
    public string TokenizerPath => Path.Combine(Directory, "tokenizer.json");

    public string GraphPath(string graph) => Path.Combine(Directory, "onnx", graph + ".onnx");

    /// <summary>
    /// The vision graph the engine loads: <see cref="FusedVisionGraph"/> when the package has onnx/fused.json (the
    /// fused format's marker), else the legacy <see cref="VisionGraph"/>.
    /// </summary>
    public string VisionGraphName => File.Exists(Path.Combine(Directory, "onnx", "fused.json")) ? FusedVisionGraph : VisionGraph;

    public static ModelPackage Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new ModelPackageException($"model package folder '{full}' does not exist");

        var required = new[] { "config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json" }
            .Concat(new[] { VisionGraph, EmbedGraph, DecoderGraph }.Select(g => Path.Combine("onnx", g + ".onnx")));
        var missing = required.Where(f => !File.Exists(Path.Combine(full, f))).ToList();
        if (missing.Count > 0)
            throw new ModelPackageException($"model package '{full}' is missing {string.Join(", ", missing)}");

        foreach (var graph in new[] { VisionGraph, EmbedGraph, DecoderGraph })
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
        return new ModelPackage(full, config);
    }
}
