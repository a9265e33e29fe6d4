using System.Text.Json;

namespace QwenVlStudio.Inference.Weights;

/// <summary>One external tensor of a graph shipped without weights (model-package.md §10).</summary>
public sealed record WeightTensor(string Name, long Offset, long Length, string DType, long[] Shape, string Kind, double Mean, double Std)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// onnx/&lt;graph&gt;.manifest.json: where each weight lives in the graph's external data file and how to fill it
/// ("ones", "zeros", "normal" with mean/std), so weights of the right shapes can be regenerated locally.
/// </summary>
public sealed record WeightManifest(string Graph, string DataFile, long DataFileBytes, string? GraphSha256, IReadOnlyList<WeightTensor> Tensors)
{
    public static WeightManifest Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var tensors = root.GetProperty("tensors").EnumerateArray().Select(t => new WeightTensor(
                t.GetProperty("name").GetString()!,
                t.GetProperty("offset").GetInt64(),
                t.GetProperty("length").GetInt64(),
                t.GetProperty("dtype").GetString()!,
                t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                t.GetProperty("kind").GetString()!,
                t.TryGetProperty("mean", out var mean) ? mean.GetDouble() : 0,
                t.TryGetProperty("std", out var std) ? std.GetDouble() : 0)).ToList();
            var manifest = new WeightManifest(
                root.GetProperty("graph").GetString()!,
                root.GetProperty("data_file").GetString()!,
                root.GetProperty("data_file_bytes").GetInt64(),
                root.TryGetProperty("graph_sha256", out var sha) ? sha.GetString() : null,
                tensors);
            manifest.Validate(path);
            return manifest;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelPackageException($"weight manifest '{path}' is unreadable: {e.Message}", e);
        }
    }

    private void Validate(string path)
    {
        if (DataFile.Contains('/') || DataFile.Contains('\\') || DataFile.Contains(".."))
            throw new ModelPackageException($"weight manifest '{path}': data_file '{DataFile}' must be a plain file name");
        foreach (var t in Tensors)
        {
            if (t.DType != "float32")
                throw new ModelPackageException($"weight manifest '{path}': tensor {t.Name} has dtype {t.DType}; only float32 is supported");
            if (t.Kind is not ("ones" or "zeros" or "normal"))
                throw new ModelPackageException($"weight manifest '{path}': tensor {t.Name} has unknown kind '{t.Kind}'");
            if (t.Length != t.ElementCount * sizeof(float))
                throw new ModelPackageException($"weight manifest '{path}': tensor {t.Name} length {t.Length} does not match its shape");
            if (t.Offset < 0 || t.Offset + t.Length > DataFileBytes)
                throw new ModelPackageException($"weight manifest '{path}': tensor {t.Name} lies outside the {DataFileBytes}-byte data file");
        }
    }
}
