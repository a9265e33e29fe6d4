using QwenVlStudio.Inference.Weights;

namespace QwenVlStudio.Cli.Commands;

/// <summary>qwenvl make-weights: regenerates seeded weights for a package shipped as graphs + manifests.</summary>
internal static class MakeWeightsCommand
{
    public const string Usage = "qwenvl make-weights --package DIR --out DIR [--seed N] [--threads N]";

    public static int Run(CliArguments args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var package = args.Required("package");
        var outDir = args.Required("out");
        var seedText = args.Value("seed");
        ulong seed = seedText is null ? 1234UL
            : ulong.TryParse(seedText, out var s) ? s : throw new UsageException($"--seed must be a non-negative integer, got '{seedText}'");
        int threads = args.Int("threads", 1) ?? Environment.ProcessorCount;
        args.RejectUnknown();
        if (!Directory.Exists(package)) throw new UsageException($"package folder '{package}' does not exist");

        var started = DateTime.UtcNow;
        PackageWeights.Make(package, outDir, seed, threads, line => stdout.WriteLine(line), cancellationToken);
        stdout.WriteLine($"wrote a loadable package to {Path.GetFullPath(outDir)} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        return 0;
    }
}
