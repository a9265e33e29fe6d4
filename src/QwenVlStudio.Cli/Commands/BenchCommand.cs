using System.Diagnostics;
using QwenVlStudio.Cli.Bench;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Cli.Commands;

/// <summary>qwenvl bench: times the engine on fixed inputs and prints tables; figures, not pass/fail.</summary>
internal static class BenchCommand
{
    public const string Usage =
        "qwenvl bench [--model DIR] [--threads N] [--vision-threads N] [--runs N] [--new-tokens N] [--batch N]\n" +
        "             [--scenarios image,followup,text,concurrent,concurrent-text,membw,json] [--images 512x512,1024x768] [--concurrency 1,2,4] [--out FILE.json]\n" +
        "             [--write-images DIR]  (writes the bench pictures and exits)\n" +
        "             [--chunk N] [--budget N]\n" +
        "             [--scenarios linear --linear-graphs DIR [--layers 28]]  (times one-node linear graphs from\n" +
        "             tools/export/write_linear_bench_graphs.py at M = 1,2,4,270,512; loads no model)\n" +
        "             --batch: max sequences per decoder call (dynamic batching), default 4; 1 = each running sequence in its own call\n" +
        "             --chunk / --budget: prompt tokens per prefill chunk / tokens per engine-loop turn (the server's defaults)\n" +
        "             every request goes through the engine core's queue and loop, as in the server; the arrival scenario\n" +
        "             starts 3 text chats, then one image chat, and prints the worst inter-token gap the 3 see";

    private static readonly string[] AllScenarios = ["image", "followup", "text", "concurrent", "concurrent-text", "arrival", "membw", "json"];

    /// <summary>Without --scenarios: all but json, which times the JSON constraint rather than the model.</summary>
    private static readonly string[] DefaultScenarios = ["image", "followup", "text", "concurrent", "concurrent-text", "arrival", "membw"];

    // Not in any default set: it needs --linear-graphs, and it measures kernels rather than the model.
    private const string LinearScenario = "linear";

    public static async Task<int> RunAsync(CliArguments args, TextWriter stdout, CancellationToken ct)
    {
        var modelArgument = args.Value("model");
        int threads = args.Int("threads", 0) ?? 0;
        int visionThreads = args.Int("vision-threads", 0) ?? threads;
        int runs = args.Int("runs", 1) ?? 3;
        int newTokens = args.Int("new-tokens", 2) ?? 64;
        // Dynamic batching (the server's setting): 1 runs each request on its own, as before batching existed.
        int maxBatch = args.Int("batch", 1) ?? 4;
        var scenarios = List(args.Value("scenarios")) ?? DefaultScenarios;
        var unknown = scenarios.Except(AllScenarios).Except([LinearScenario]).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown scenario {string.Join(", ", unknown)}; choose from {string.Join(",", AllScenarios)},{LinearScenario}");
        var linearGraphs = args.Value("linear-graphs");
        int layers = args.Int("layers", 1) ?? 28;
        var sizes = (List(args.Value("images")) ?? ["512x512", "1024x768"]).Select(ParseSize).ToList();
        var concurrency = (List(args.Value("concurrency")) ?? ["1", "2", "4"])
            .Select(c => int.TryParse(c, out var n) && n > 0 ? n : throw new UsageException($"--concurrency: '{c}' is not a positive integer")).ToList();
        var outPath = args.Value("out") ?? $"qwenvl-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
        var writeImages = args.Value("write-images");
        args.RejectUnknown();

        if (writeImages is not null)
        {
            // Lets other stacks (bench/hf_bench.py) time exactly the same pictures.
            Directory.CreateDirectory(writeImages);
            foreach (var (w, h) in sizes)
                File.WriteAllBytes(Path.Combine(writeImages, $"bench_{w}x{h}.png"), BenchImages.Png(w, h));
            stdout.WriteLine($"wrote {sizes.Count} images to {Path.GetFullPath(writeImages)}");
            return 0;
        }

        if (scenarios.Contains(LinearScenario))
        {
            if (linearGraphs is null) throw new UsageException("--scenarios linear needs --linear-graphs DIR (tools/export/write_linear_bench_graphs.py writes it)");
            stdout.WriteLine($"scenario linear: {Path.GetFullPath(linearGraphs)}, threads {Describe(threads)}, median of {runs} runs");
            var rows = new LinearKernelBench(threads, runs, stdout).Run(linearGraphs, ct);
            LinearKernelBench.PrintSummary(rows, layers, stdout);
            scenarios = scenarios.Where(s => s != LinearScenario).ToArray();
            if (scenarios.Length == 0) return 0;
        }

        var modelPath = ModelLocator.Resolve(modelArgument);
        var load = Stopwatch.StartNew();
        var defaults = new ModelLoadOptions();
        int chunk = args.Int("chunk", 1) ?? defaults.PrefillChunkTokens;
        int budget = args.Int("budget", 1) ?? defaults.StepTokenBudget;
        // Enough running sequences for the largest concurrency asked for: the queue then holds none of them back.
        var options = new ModelLoadOptions
        {
            DecoderThreads = threads, VisionThreads = visionThreads,
            MaxRunningSequences = Math.Max(maxBatch, Math.Max(concurrency.Max(), 4)), MaxBatchSize = maxBatch,
            PrefillChunkTokens = chunk, StepTokenBudget = budget,
        };
        if (options.Validate() is { Count: > 0 } problems) throw new UsageException(string.Join(" ", problems));
        using var model = QwenVlModel.Load(modelPath, options);
        var report = new BenchReport
        {
            DateUtc = DateTime.UtcNow,
            Machine = MachineInfo.Read(),
            Model = model.ModelName,
            Precision = PackagePrecision(modelPath),
            DecoderThreads = threads,
            VisionThreads = visionThreads,
            NewTokens = newTokens,
            MaxBatchSize = maxBatch,
            LoadSeconds = load.Elapsed.TotalSeconds,
        };
        stdout.WriteLine($"loaded {model.ModelName} in {report.LoadSeconds:F1} s (threads: decoder {Describe(threads)}, vision {Describe(visionThreads)}; max batch {maxBatch})");

        var images = sizes.Select(s => (Label: $"{s.W}×{s.H}", Png: BenchImages.Png(s.W, s.H))).ToList();
        var runner = new BenchRunner(model, newTokens, runs, stdout);
        await runner.WarmUpAsync(images[0].Png, ct);
        foreach (var scenario in scenarios)
        {
            stdout.WriteLine($"scenario {scenario}");
            switch (scenario)
            {
                case "image":
                    foreach (var (label, png) in images) report.Rows.Add(await runner.ImageAsync($"image {label}", png, ct));
                    break;
                case "followup":
                    report.Rows.AddRange(await runner.FollowUpAsync(images[0].Label, images[0].Png, ct));
                    break;
                case "text":
                    report.Rows.Add(await runner.TextAsync(ct));
                    break;
                case "concurrent":
                    foreach (var n in concurrency) report.Concurrency.Add(await runner.ConcurrentAsync(n, sizes[0].W, sizes[0].H, withImages: true, ct));
                    break;
                case "concurrent-text":
                    foreach (var n in concurrency) report.Concurrency.Add(await runner.ConcurrentAsync(n, sizes[0].W, sizes[0].H, withImages: false, ct));
                    break;
                case "arrival":
                    await runner.ArrivalAsync(3, sizes[0].W, sizes[0].H, ct);
                    break;
                case "json":
                    report.Json.AddRange(await new JsonConstraintBench(model, runs, stdout).RunAsync(ct));
                    break;
                case "membw":
                    report.MemoryBandwidthGBps = MemoryBandwidth.MeasureGBps(2L << 30, Environment.ProcessorCount, 5);
                    report.DecoderWeightGB = DecoderWeightBytes(modelPath) / 1e9;
                    break;
            }
        }
        report.PeakRssGB = MachineInfo.PeakRssBytes() / 1e9;
        report.Print(stdout);
        report.Save(outPath);
        stdout.WriteLine($"results written to {Path.GetFullPath(outPath)}");
        return 0;
    }

    private static string Describe(int threads) => threads == 0 ? "ONNX Runtime default" : threads.ToString();

    private static string[]? List(string? value) => value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static (int W, int H) ParseSize(string text)
    {
        var parts = text.Split('x', '×');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w is > 0 and <= 8192 && h is > 0 and <= 8192)
            return (w, h);
        throw new UsageException($"--images: '{text}' is not WIDTHxHEIGHT");
    }

    /// <summary>
    /// Bytes of the decoder's weights: what one decode step streams from memory. A fused package decodes through
    /// decoder_fused (its optional decoder_fused_prefill runs prompt chunks only, so it is not counted).
    /// </summary>
    private static long DecoderWeightBytes(string modelPath)
    {
        var onnx = Path.Combine(modelPath, "onnx");
        var package = ModelPackage.Load(modelPath);
        var graph = package.DecoderGraphFor(GraphFormat.Auto);
        return Directory.EnumerateFiles(onnx, graph + ".onnx*").Where(f => !f.EndsWith(".json", StringComparison.Ordinal))
            .Sum(f => new FileInfo(f).Length);
    }

    private static string PackagePrecision(string modelPath)
    {
        var name = Path.GetFileName(modelPath.TrimEnd('/'));
        return name.Contains("int4", StringComparison.OrdinalIgnoreCase) ? "int4"
            : name.Contains("int8", StringComparison.OrdinalIgnoreCase) ? "int8" : "fp32";
    }
}
