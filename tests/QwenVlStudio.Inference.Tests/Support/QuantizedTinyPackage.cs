using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>
/// The tiny package with one of its quantized fused decoders (onnx/decoder_fused_{variant}.onnx, written by
/// tools/export/build_fused.py --graph-name) in place of the fp32 one: a temporary folder of links to the tiny
/// package's files, whose onnx/decoder_fused.onnx links to the variant and whose fused.json names its precision.
/// Vision and embedding stay fp32, so the figures measure the decoder's quantization alone. With a prefill variant,
/// onnx/decoder_fused_prefill.onnx links to that one (prompt chunks run through it, decode steps through the other).
/// </summary>
public sealed class QuantizedTinyPackage : IDisposable
{
    private QuantizedTinyPackage(string directory) => Directory = directory;

    public string Directory { get; }

    public static QuantizedTinyPackage Create(string variant, string precision, string? prefillVariant = null)
    {
        var source = TestPaths.TinyModel;
        var decoder = VariantPath(variant);
        var prefill = prefillVariant is null ? null : VariantPath(prefillVariant);
        var root = System.IO.Directory.CreateTempSubdirectory($"qwenvl-tiny-{variant}-").FullName;
        try
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(source))
                File.CreateSymbolicLink(Path.Combine(root, Path.GetFileName(file)), file);
            var onnx = System.IO.Directory.CreateDirectory(Path.Combine(root, "onnx")).FullName;
            foreach (var graph in new[] { ModelPackage.VisionGraph, ModelPackage.FusedVisionGraph, ModelPackage.EmbedGraph })
                File.CreateSymbolicLink(Path.Combine(onnx, graph + ".onnx"), Path.Combine(source, "onnx", graph + ".onnx"));
            File.CreateSymbolicLink(Path.Combine(onnx, ModelPackage.FusedDecoderGraph + ".onnx"), decoder);
            if (prefill is not null)
                File.CreateSymbolicLink(Path.Combine(onnx, ModelPackage.FusedPrefillDecoderGraph + ".onnx"), prefill);
            var fused = File.ReadAllText(Path.Combine(source, "onnx", "fused.json"))
                .Replace("\"precision\": \"fp32\"", $"\"precision\": \"{precision}\"", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(onnx, "fused.json"), fused);
            return new QuantizedTinyPackage(root);
        }
        catch
        {
            System.IO.Directory.Delete(root, recursive: true);
            throw;
        }
    }

    private static string VariantPath(string variant)
    {
        var path = Path.Combine(TestPaths.TinyModel, "onnx", $"{ModelPackage.FusedDecoderGraph}_{variant}.onnx");
        return File.Exists(path) ? path
            : throw new FileNotFoundException($"the tiny package has no quantized decoder '{variant}' (run tools/export/build_fused.py --graph-name)", path);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
