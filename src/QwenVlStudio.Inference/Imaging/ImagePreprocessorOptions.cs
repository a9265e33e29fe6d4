using System.Text.Json;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Parameters of the Qwen2-VL/Qwen3-VL image processor (model-package.md §2) plus the limits that protect the
/// server from hostile uploads. Read them from a package's <c>preprocessor_config.json</c> with
/// <see cref="FromPreprocessorConfig(string)"/>; the defaults are those of the real Qwen3-VL 2B package.
/// </summary>
public sealed record ImagePreprocessorOptions
{
    /// <summary>Side of one square vision patch in pixels (p).</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Frames per temporal patch (t_p); a still image is repeated this many times.</summary>
    public int TemporalPatchSize { get; init; } = 2;

    /// <summary>Patches merged per side into one image token (m).</summary>
    public int MergeSize { get; init; } = 2;

    /// <summary>Lower pixel budget of smart_resize (<c>size.shortest_edge</c>).</summary>
    public long MinPixels { get; init; } = 65536;

    /// <summary>Upper pixel budget of smart_resize (<c>size.longest_edge</c>).</summary>
    public long MaxPixels { get; init; } = 16777216;

    public float[] ImageMean { get; init; } = [0.5f, 0.5f, 0.5f];

    public float[] ImageStd { get; init; } = [0.5f, 0.5f, 0.5f];

    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    /// <summary>
    /// Largest width·height an image header may announce; checked before any pixel is decoded so that a small file
    /// claiming a huge canvas (decompression bomb) costs nothing.
    /// </summary>
    public long MaxDecodedPixels { get; init; } = 50_000_000;

    /// <summary>Largest encoded file accepted, in bytes.</summary>
    public long MaxEncodedBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>
    /// True: transparent pixels are composited onto white (what a user sees in a browser; identical to PIL's
    /// <c>alpha_composite</c> onto a white background). False: alpha is dropped and the stored colour of transparent
    /// pixels shows, which is what transformers' <c>Qwen2VLImageProcessor</c> does (<c>image.convert("RGB")</c>).
    /// Opaque images give the same pixels either way.
    /// </summary>
    public bool FlattenAlphaOntoWhite { get; init; } = true;

    /// <summary>smart_resize rounds both sides to multiples of this (p·m).</summary>
    public int ResizeFactor => PatchSize * MergeSize;

    /// <summary>Floats in one patch row: 3 channels × t_p frames × p².</summary>
    public int PatchRowLength => 3 * TemporalPatchSize * PatchSize * PatchSize;

    /// <summary>Throws <see cref="ArgumentException"/> when a value cannot work (non-positive sizes, bad budgets).</summary>
    public void Validate()
    {
        if (PatchSize <= 0 || TemporalPatchSize <= 0 || MergeSize <= 0)
            throw new ArgumentException($"patch size {PatchSize}, temporal patch size {TemporalPatchSize} and merge size {MergeSize} must be positive");
        if (MinPixels <= 0 || MaxPixels < MinPixels)
            throw new ArgumentException($"pixel budget [{MinPixels}, {MaxPixels}] is invalid: need 0 < min ≤ max");
        if (ImageMean.Length != 3 || ImageStd.Length != 3)
            throw new ArgumentException("image mean and std need exactly 3 values (R, G, B)");
        if (ImageStd.Any(s => !(s > 0)) || ImageMean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException("image std must be positive and mean finite");
        if (!(RescaleFactor > 0) || !double.IsFinite(RescaleFactor))
            throw new ArgumentException($"rescale factor {RescaleFactor} must be positive");
        if (MaxDecodedPixels <= 0 || MaxEncodedBytes <= 0)
            throw new ArgumentException("decoded pixel and encoded byte limits must be positive");
    }

    /// <summary>Reads a <c>preprocessor_config.json</c> file; throws <see cref="ModelPackageException"/> when it is unusable.</summary>
    public static ImagePreprocessorOptions FromPreprocessorConfig(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ModelPackageException($"cannot read image processor config '{path}': {e.Message}", e);
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return FromPreprocessorConfig(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new ModelPackageException($"image processor config '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the processor parameters from a parsed <c>preprocessor_config.json</c>: <c>size.shortest_edge</c> /
    /// <c>size.longest_edge</c> are the min / max pixel budget (falling back to top-level <c>min_pixels</c> /
    /// <c>max_pixels</c>), plus <c>patch_size</c>, <c>temporal_patch_size</c>, <c>merge_size</c>, <c>image_mean</c>,
    /// <c>image_std</c> and <c>rescale_factor</c>. Missing keys keep the Qwen3-VL defaults.
    /// </summary>
    public static ImagePreprocessorOptions FromPreprocessorConfig(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ModelPackageException("image processor config must be a JSON object");
        var defaults = new ImagePreprocessorOptions();
        long? minPixels = null, maxPixels = null;
        if (root.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Object)
        {
            minPixels = ReadLong(size, "shortest_edge");
            maxPixels = ReadLong(size, "longest_edge");
        }
        minPixels ??= ReadLong(root, "min_pixels");
        maxPixels ??= ReadLong(root, "max_pixels");

        var options = defaults with
        {
            PatchSize = (int)(ReadLong(root, "patch_size") ?? defaults.PatchSize),
            TemporalPatchSize = (int)(ReadLong(root, "temporal_patch_size") ?? defaults.TemporalPatchSize),
            MergeSize = (int)(ReadLong(root, "merge_size") ?? defaults.MergeSize),
            MinPixels = minPixels ?? defaults.MinPixels,
            MaxPixels = maxPixels ?? defaults.MaxPixels,
            ImageMean = ReadTriple(root, "image_mean") ?? defaults.ImageMean,
            ImageStd = ReadTriple(root, "image_std") ?? defaults.ImageStd,
            RescaleFactor = ReadDouble(root, "rescale_factor") ?? defaults.RescaleFactor,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelPackageException($"image processor config is inconsistent: {e.Message}", e);
        }
        return options;
    }

    private static long? ReadLong(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var result) || result > int.MaxValue)
            throw new ModelPackageException($"image processor config: '{name}' must be an integer, got {value.GetRawText()}");
        return result;
    }

    private static double? ReadDouble(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw new ModelPackageException($"image processor config: '{name}' must be a number, got {value.GetRawText()}");
        return value.GetDouble();
    }

    private static float[]? ReadTriple(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        // A single number means the same value for all three channels (as transformers accepts).
        if (value.ValueKind == JsonValueKind.Number)
            return [value.GetSingle(), value.GetSingle(), value.GetSingle()];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            throw new ModelPackageException($"image processor config: '{name}' must be 3 numbers, got {value.GetRawText()}");
        return value.EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }
}
