using System.Text.Json;

namespace QwenVlStudio.Cli.Bench;

/// <summary>Everything one `qwenvl bench` run measured, printed as tables and saved as JSON.</summary>
internal sealed record BenchReport
{
    public required DateTime DateUtc { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Model { get; init; }
    public required string Precision { get; init; }
    public required int DecoderThreads { get; init; }
    public required int VisionThreads { get; init; }
    public required int NewTokens { get; init; }
    public required int MaxBatchSize { get; init; }
    public required double LoadSeconds { get; init; }
    public List<BenchRow> Rows { get; } = [];
    public List<ConcurrencyRow> Concurrency { get; } = [];
    public List<JsonBenchRow> Json { get; } = [];
    public double? MemoryBandwidthGBps { get; set; }
    public double? DecoderWeightGB { get; set; }
    public double? DecodeBoundTokensPerSecond => MemoryBandwidthGBps / DecoderWeightGB;
    public double PeakRssGB { get; set; }

    public void Print(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"model {Model} ({Precision}), decoder threads {DecoderThreads}, vision threads {VisionThreads}, {NewTokens} new tokens, max batch {MaxBatchSize}, load {LoadSeconds:F1} s");
        o.WriteLine($"machine: {Machine.Cpu}, {Machine.Cores} cores, ONNX Runtime {Machine.OnnxRuntime}, {Machine.Dotnet}, commit {Machine.GitCommit ?? "unknown"}");
        if (Rows.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("| scenario | runs | prompt tok | reused tok | cached img | vision ms | prefill ms | TTFT ms | decode tok/s | end-to-end s |");
            o.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in Rows)
                o.WriteLine($"| {r.Scenario} | {r.Runs} | {r.PromptTokens} | {r.ReusedPromptTokens} | {r.CachedImages} | {F(r.VisionMs, 0)} | {F(r.PrefillMs, 0)} | {F(r.TtftMs, 0)} | {F(r.DecodeTokensPerSecond, 2)} | {F(r.EndToEndSeconds, 2)} |");
            o.WriteLine("(each cell: min / median; reused tok: prompt tokens from the KV prefix cache, cached img: images from the vision cache)");
        }
        if (Concurrency.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("| requests | concurrent | runs | total tok/s | mean latency s | max latency s | mean decoder batch |");
            o.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var c in Concurrency)
                o.WriteLine($"| {c.Kind} | {c.Concurrency} | {c.Runs} | {F(c.TotalTokensPerSecond, 2)} | {F(c.MeanLatencySeconds, 2)} | {F(c.MaxLatencySeconds, 2)} | {(c.MeanBatchSize > 0 ? c.MeanBatchSize.ToString("F2") : "–")} |");
        }
        if (Json.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("| JSON schema | runs | tokens | mask ms/token median, first run | median, later runs | p90 | max | decode tok/s |");
            o.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var j in Json)
                o.WriteLine($"| {j.Schema} | {j.Runs} | {j.Tokens} | {j.ColdMedianMs:F3} | {j.WarmMedianMs:F3} | {j.WarmP90Ms:F3} | {j.MaxMs:F1} | {(j.DecodeTokensPerSecond.Median > 0 ? F(j.DecodeTokensPerSecond, 2) : "–")} |");
            o.WriteLine("(mask: the time to find or compute the allowed-token mask and apply it to the logits; the first run of each schema starts with an empty mask cache; unconstrained: total mask ms, which must be 0)");
        }
        o.WriteLine();
        if (MemoryBandwidthGBps is double bw)
            o.WriteLine($"memory read bandwidth {bw:F1} GB/s; decoder weights {DecoderWeightGB:F2} GB read per token → decode bound ≈ {DecodeBoundTokensPerSecond:F2} tok/s");
        o.WriteLine($"peak RSS {PeakRssGB:F2} GB");
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions(CliJson.Options)
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }));
    }

    private static string F(MinMedian m, int digits) => $"{m.Min.ToString("F" + digits)} / {m.Median.ToString("F" + digits)}";
}
