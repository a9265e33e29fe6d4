using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// `qwenvl bench --scenarios linear`: times one-node linear graphs (tools/export/write_linear_bench_graphs.py,
/// files `kernel__layer.onnx`, input x [1, M, K]) at decode sizes (M = 1, 2, 4) and prefill sizes (M = 270, 512),
/// and prints per kernel and M the median of each layer and their sum, the cost of one decoder layer's projections.
/// This is how the fused int8 / int4 decoders' kernels were chosen (docs/fused-package.md).
/// </summary>
internal sealed class LinearKernelBench(int threads, int runs, TextWriter log)
{
    public static readonly int[] DecodeRows = [1, 2, 4];
    public static readonly int[] PrefillRows = [270, 512];
    private const string LmHead = "lm_head";

    public IReadOnlyList<LinearKernelRow> Run(string graphDirectory, CancellationToken ct)
    {
        if (!Directory.Exists(graphDirectory))
            throw new UsageException($"--linear-graphs: folder '{graphDirectory}' does not exist (write it with tools/export/write_linear_bench_graphs.py)");
        var graphs = Directory.EnumerateFiles(graphDirectory, "*__*.onnx").Order(StringComparer.Ordinal).ToList();
        if (graphs.Count == 0)
            throw new UsageException($"--linear-graphs: '{graphDirectory}' holds no kernel__layer.onnx graphs");
        var rows = new List<LinearKernelRow>();
        foreach (var path in graphs)
        {
            ct.ThrowIfCancellationRequested();
            var parts = Path.GetFileNameWithoutExtension(path).Split("__");
            var (kernel, layer) = (parts[0], parts[1]);
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            using var session = new InferenceSession(path, options);
            int k = (int)session.InputMetadata["x"].Dimensions[2];
            var sizes = layer == LmHead ? DecodeRows : DecodeRows.Concat(PrefillRows);
            foreach (int m in sizes)
            {
                double median = MedianMs(session, m, k, ct);
                rows.Add(new LinearKernelRow(kernel, layer, m, median));
                log.WriteLine($"  {kernel,-16} {layer,-8} M={m,-4} {median,9:F3} ms");
            }
        }
        return rows;
    }

    private double MedianMs(InferenceSession session, int m, int k, CancellationToken ct)
    {
        var input = new float[m * k];
        var random = new Random(m);
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);
        using var x = OrtValue.CreateTensorValueFromMemory(input, [1, m, k]);
        using var runOptions = new RunOptions();
        var times = new List<double>();
        for (int r = 0; r < runs + 2; r++) // two warm-up runs: first-run packing and thread start-up
        {
            ct.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            using var outputs = session.Run(runOptions, ["x"], [x], ["y"]);
            if (r >= 2) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Per kernel and M: the sum over the decoder layer's projections (qkv, o_proj, gate_up, down).</summary>
    public static void PrintSummary(IReadOnlyList<LinearKernelRow> rows, int layers, TextWriter output)
    {
        output.WriteLine($"one decoder layer's projections (qkv + o_proj + gate_up + down), median ms; × {layers} layers; lm_head separately");
        output.WriteLine($"{"kernel",-16} {"M",5} {"layer ms",10} {"× layers ms",12} {"lm_head ms",11}");
        foreach (var group in rows.GroupBy(r => (r.Kernel, r.Rows)).OrderBy(g => g.Key.Kernel, StringComparer.Ordinal).ThenBy(g => g.Key.Rows))
        {
            var body = group.Where(r => r.Layer != LmHead).ToList();
            var head = group.FirstOrDefault(r => r.Layer == LmHead);
            double sum = body.Sum(r => r.MedianMs);
            output.WriteLine($"{group.Key.Kernel,-16} {group.Key.Rows,5} {sum,10:F2} {sum * layers,12:F1} {(head is null ? "—" : head.MedianMs.ToString("F2")),11}");
        }
    }
}

internal sealed record LinearKernelRow(string Kernel, string Layer, int Rows, double MedianMs);
