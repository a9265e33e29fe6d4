using System.Text.Json;

namespace QwenVlStudio.Inference.Package;

/// <summary>onnx/fused.json: the package holds the fused graphs (docs/fused-package.md), in these precisions.</summary>
public sealed record FusedPackageInfo(string Precision, string VisionPrecision, string KvDtype)
{
    public const string FileName = "fused.json";
    public const string Format = "qwenvl-fused";
    public const int Version = 1;

    public static FusedPackageInfo Parse(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            string format = root.TryGetProperty("format", out var f) ? f.GetString() ?? "" : "";
            int version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : -1;
            if (format != Format || version != Version)
                throw new ModelPackageException($"{path}: format '{format}' version {version}; this engine reads '{Format}' version {Version}");
            string kv = root.TryGetProperty("kv_dtype", out var k) ? k.GetString() ?? "" : "float32";
            if (kv != "float32")
                throw new ModelPackageException($"{path}: kv_dtype '{kv}' is not supported (float32 only)");
            return new FusedPackageInfo(
                root.TryGetProperty("precision", out var p) ? p.GetString() ?? "fp32" : "fp32",
                root.TryGetProperty("vision_precision", out var vp) ? vp.GetString() ?? "fp32" : "fp32", kv);
        }
        catch (JsonException e)
        {
            throw new ModelPackageException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
