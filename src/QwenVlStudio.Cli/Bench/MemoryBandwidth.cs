using System.Diagnostics;
using System.Numerics;

namespace QwenVlStudio.Cli.Bench;

/// <summary>
/// A streaming-read benchmark: every thread sums its share of a large buffer with SIMD. Decode of a dense
/// model reads every weight once per token, so bandwidth / weight bytes bounds decode tokens/s.
/// </summary>
internal static class MemoryBandwidth
{
    public static double MeasureGBps(long bytes, int threads, int repeats)
    {
        int count = (int)Math.Min(bytes / sizeof(float), Array.MaxLength);
        var buffer = GC.AllocateUninitializedArray<float>(count);
        Parallel.For(0, threads, t =>
        {
            var (start, length) = Share(count, threads, t);
            buffer.AsSpan(start, length).Fill(t + 1);
        });
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            var sums = new float[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var (start, length) = Share(count, threads, t);
                sums[t] = Sum(buffer.AsSpan(start, length));
            });
            double seconds = sw.Elapsed.TotalSeconds;
            if (sums.Sum() == 0) throw new InvalidOperationException("the read was optimised away"); // keeps the sums alive
            best = Math.Max(best, (double)count * sizeof(float) / seconds / 1e9);
        }
        return best;
    }

    private static (int Start, int Length) Share(int count, int threads, int t)
    {
        int per = count / threads;
        int start = t * per;
        return (start, t == threads - 1 ? count - start : per);
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        var acc0 = Vector<float>.Zero;
        var acc1 = Vector<float>.Zero;
        int width = Vector<float>.Count, i = 0;
        for (; i + 2 * width <= values.Length; i += 2 * width)
        {
            acc0 += new Vector<float>(values[i..]);
            acc1 += new Vector<float>(values[(i + width)..]);
        }
        float sum = Vector.Sum(acc0 + acc1);
        for (; i < values.Length; i++) sum += values[i];
        return sum;
    }
}
