using System.Runtime.InteropServices;
using QwenVlStudio.Inference.Weights;

namespace QwenVlStudio.Inference.Tests.Weights;

public sealed class WeightWriterFacts : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qwenvl-weights-").FullName;

    private static WeightManifest SampleManifest() => new("g.onnx", "g.onnx_data", 65536 * 4, null,
    [
        new("norm.weight", 0, 64 * 4, "float32", [64], "ones", 0, 0),
        new("proj.bias", 65536, 32 * 4, "float32", [32], "zeros", 0, 0),
        new("proj.weight", 131072, 300 * 100 * 4, "float32", [300, 100], "normal", 0, 0.02),
    ]);

    [Fact]
    public void Write_FillsEachKindAtItsOffset_WhenGivenAManifest()
    {
        var manifest = SampleManifest();
        var path = Path.Combine(_dir, "g.onnx_data");

        WeightWriter.Write(manifest, path, seed: 7, threads: 2, null, CancellationToken.None);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(manifest.DataFileBytes, bytes.Length);
        var floats = MemoryMarshal.Cast<byte, float>(bytes);
        Assert.All(floats[..64].ToArray(), v => Assert.Equal(1f, v));
        Assert.All(floats.Slice(65536 / 4, 32).ToArray(), v => Assert.Equal(0f, v));
        var normal = floats.Slice(131072 / 4, 30000).ToArray();
        double mean = normal.Average(v => (double)v);
        double std = Math.Sqrt(normal.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std, 0.019, 0.021);
        Assert.All(normal, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Write_GivesSameBytes_WhenThreadCountDiffers()
    {
        var manifest = SampleManifest();
        var one = Path.Combine(_dir, "one");
        var two = Path.Combine(_dir, "two");

        WeightWriter.Write(manifest, one, seed: 42, threads: 1, null, CancellationToken.None);
        WeightWriter.Write(manifest, two, seed: 42, threads: 2, null, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
    }

    [Fact]
    public void Write_GivesDifferentValues_WhenSeedDiffers()
    {
        var manifest = SampleManifest();
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");

        WeightWriter.Write(manifest, a, seed: 1, threads: 1, null, CancellationToken.None);
        WeightWriter.Write(manifest, b, seed: 2, threads: 1, null, CancellationToken.None);

        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Write_FillsQuantizedKinds_WithValidCodesAndScales()
    {
        var manifest = new WeightManifest("q.onnx", "q.onnx_data", 3 * 65536, null,
        [
            new("w.int8", 0, 4096, "int8", [64, 64], "int8_random", 0, 0),
            new("w.uint4", 65536, 4096, "uint8", [64, 4, 16], "uint4_packed_random", 0, 0),
            new("w.scale", 131072, 256, "float32", [64], "constant", 0, 0, Value: 0.004),
        ]);
        var path = Path.Combine(_dir, "q.onnx_data");

        WeightWriter.Write(manifest, path, seed: 3, threads: 2, null, CancellationToken.None);

        var bytes = File.ReadAllBytes(path);
        var int8 = bytes.AsSpan(0, 4096).ToArray().Select(b => (sbyte)b).ToArray();
        Assert.All(int8, v => Assert.InRange((int)v, -127, 127));
        Assert.True(int8.Distinct().Count() > 200, "int8 codes should spread over the range");
        Assert.True(bytes.AsSpan(65536, 4096).ToArray().Distinct().Count() > 200, "packed 4-bit bytes should be uniform");
        Assert.All(MemoryMarshal.Cast<byte, float>(bytes.AsSpan(131072, 256)).ToArray(), v => Assert.Equal(0.004f, v));
    }

    [Fact]
    public void Load_Throws_WhenKindCannotFillDtype()
    {
        var path = Path.Combine(_dir, "bad-kind.manifest.json");
        File.WriteAllText(path, """
            {"graph": "g.onnx", "data_file": "g.onnx_data", "data_file_bytes": 16,
             "tensors": [{"name": "w", "offset": 0, "length": 16, "dtype": "uint8", "shape": [16], "kind": "normal", "std": 0.02}]}
            """);

        var e = Assert.Throws<ModelPackageException>(() => WeightManifest.Load(path));
        Assert.Contains("cannot fill dtype uint8", e.Message);
    }

    [Theory]
    [InlineData("qwen3-vl-2b-shape-int8")]
    [InlineData("qwen3-vl-2b-shape-int4")]
    public void Manifests_OfQuantizedTwoBillionShapePackages_AreAllWritable(string package)
    {
        var manifests = PackageWeights.Manifests(Path.Combine(Support.TestPaths.RepoRoot, "models", package));

        Assert.All(manifests.SelectMany(m => m.Tensors), t => Assert.True(WeightWriter.Supports(t.Kind, t.DType), $"{t.Name}: {t.Kind}/{t.DType}"));
        Assert.True(manifests.Sum(m => m.DataFileBytes) < 5e9);
    }

    [Fact]
    public void Load_Throws_WhenATensorLiesOutsideTheDataFile()
    {
        var path = Path.Combine(_dir, "bad.manifest.json");
        File.WriteAllText(path, """
            {"graph": "g.onnx", "data_file": "g.onnx_data", "data_file_bytes": 16,
             "tensors": [{"name": "w", "offset": 8, "length": 16, "dtype": "float32", "shape": [4], "kind": "normal", "std": 0.02}]}
            """);

        var e = Assert.Throws<ModelPackageException>(() => WeightManifest.Load(path));
        Assert.Contains("outside", e.Message);
    }

    [Fact]
    public void Manifests_OfShippedTwoBillionShapePackage_AddUpToTheDocumentedSizes()
    {
        var manifests = PackageWeights.Manifests(Path.Combine(Support.TestPaths.RepoRoot, "models", "qwen3-vl-2b-shape"));

        Assert.Equal(3, manifests.Count);
        Assert.Equal(112 + 1 + 199, manifests.Sum(m => m.Tensors.Count));
        Assert.InRange(manifests.Sum(m => m.DataFileBytes), 9.7e9, 9.8e9);
    }

    [Fact]
    public void Manifests_OfTheFusedTwoBillionShapePackage_CoverItsGraphsAndAreWritable()
    {
        var manifests = PackageWeights.Manifests(Path.Combine(Support.TestPaths.RepoRoot, "models", "qwen3-vl-2b-fused"));

        // embed_tokens (legacy graph) + vision_fused + decoder_fused (norms no longer merged, QKV and gate/up packed).
        Assert.Equal(["embed_tokens.onnx", "vision_fused.onnx", "decoder_fused.onnx"], manifests.Select(m => m.Graph));
        Assert.All(manifests.SelectMany(m => m.Tensors), t => Assert.True(WeightWriter.Supports(t.Kind, t.DType), $"{t.Name}: {t.Kind}/{t.DType}"));
        Assert.InRange(manifests.Sum(m => m.DataFileBytes), 9.7e9, 9.8e9);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
