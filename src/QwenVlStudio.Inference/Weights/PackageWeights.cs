using System.Security.Cryptography;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Weights;

/// <summary>
/// Makes a loadable package from one shipped as graphs + manifests: copies the package's small files to the
/// output folder (links resolved) and writes each graph's external data file beside its graph.
/// </summary>
public static class PackageWeights
{
    /// <summary>Every graph a package may hold (legacy and fused); each one present needs its manifest.</summary>
    public static readonly string[] Graphs = [ModelPackage.VisionGraph, ModelPackage.EmbedGraph, ModelPackage.DecoderGraph,
        ModelPackage.FusedVisionGraph, ModelPackage.FusedDecoderGraph, ModelPackage.FusedPrefillDecoderGraph];

    public static IReadOnlyList<WeightManifest> Manifests(string packageDir)
    {
        var manifests = new List<WeightManifest>();
        var present = Graphs.Where(g => File.Exists(Path.Combine(packageDir, "onnx", g + ".onnx"))).ToList();
        if (present.Count == 0)
            throw new ModelPackageException($"'{packageDir}' has no graphs in onnx/");
        foreach (var graph in present)
        {
            var path = Path.Combine(packageDir, "onnx", graph + ".manifest.json");
            if (!File.Exists(path))
                throw new ModelPackageException($"'{packageDir}' has no {graph}.manifest.json: it is not a graphs-without-weights package");
            manifests.Add(WeightManifest.Load(path));
        }
        return manifests;
    }

    public static void Make(string packageDir, string outDir, ulong seed, int threads, Action<string>? log, CancellationToken cancellationToken)
    {
        packageDir = Path.GetFullPath(packageDir);
        outDir = Path.GetFullPath(outDir);
        if (outDir == packageDir)
            throw new ModelPackageException("--out must differ from --package: weights are written to a new folder, outside the repository");
        var manifests = Manifests(packageDir);
        long total = manifests.Sum(m => m.DataFileBytes);
        var drive = new DriveInfo(Directory.GetDirectoryRoot(Directory.CreateDirectory(outDir).FullName));
        if (drive.AvailableFreeSpace < total)
            throw new ModelPackageException($"'{outDir}' has {drive.AvailableFreeSpace / 1e9:F1} GB free; the weights need {total / 1e9:F1} GB");

        CopySmallFiles(packageDir, outDir);
        foreach (var manifest in manifests)
        {
            var graphPath = Path.Combine(outDir, "onnx", manifest.Graph);
            if (manifest.GraphSha256 is { } expected)
            {
                using var stream = File.OpenRead(graphPath);
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (actual != expected)
                    throw new ModelPackageException($"{manifest.Graph} does not match its manifest (sha256 {actual}, manifest says {expected})");
            }
            var started = DateTime.UtcNow;
            WeightWriter.Write(manifest, Path.Combine(outDir, "onnx", manifest.DataFile), seed, threads, null, cancellationToken);
            log?.Invoke($"{manifest.DataFile}: {manifest.Tensors.Count} tensors, {manifest.DataFileBytes / 1e9:F2} GB in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        }
    }

    private static void CopySmallFiles(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".onnx_data", StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // File.Copy follows links, so the tokenizer linked from the tiny package arrives as a real file.
            File.Copy(file, target, overwrite: true);
        }
    }
}
