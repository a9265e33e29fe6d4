using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QwenVlStudio.Inference.Weights;

/// <summary>
/// Writes a manifest's data file: ones, zeros, or seeded normal values. Work is split into fixed chunks seeded
/// by (seed, tensor, chunk), so the bytes are the same whatever the thread count.
/// </summary>
public static class WeightWriter
{
    private const int ChunkFloats = 1 << 22;

    public static void Write(WeightManifest manifest, string dataPath, ulong seed, int threads, IProgress<long>? bytesWritten, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(dataPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.None, manifest.DataFileBytes);
        RandomAccess.SetLength(handle, manifest.DataFileBytes);
        var chunks = new List<(int Tensor, long Chunk)>();
        for (int t = 0; t < manifest.Tensors.Count; t++)
        {
            var tensor = manifest.Tensors[t];
            if (tensor.Kind == "zeros") continue; // the file is created zero-filled
            long count = (tensor.ElementCount + ChunkFloats - 1) / ChunkFloats;
            for (long c = 0; c < count; c++) chunks.Add((t, c));
        }
        long written = 0;
        Parallel.ForEach(chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken },
            chunk =>
            {
                var tensor = manifest.Tensors[chunk.Tensor];
                long first = chunk.Chunk * ChunkFloats;
                int n = (int)Math.Min(ChunkFloats, tensor.ElementCount - first);
                var buffer = ArrayPool<float>.Shared.Rent(n);
                try
                {
                    Fill(buffer.AsSpan(0, n), tensor, SplitMix64.Mix(seed, ((ulong)chunk.Tensor << 32) | (ulong)chunk.Chunk));
                    RandomAccess.Write(handle, MemoryMarshal.AsBytes(buffer.AsSpan(0, n)), tensor.Offset + first * sizeof(float));
                    bytesWritten?.Report(Interlocked.Add(ref written, (long)n * sizeof(float)));
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            });
    }

    internal static void Fill(Span<float> values, WeightTensor tensor, ulong chunkSeed)
    {
        switch (tensor.Kind)
        {
            case "ones":
                values.Fill(1f);
                return;
            case "zeros":
                values.Clear();
                return;
        }
        // Box–Muller: two normal values per pair of uniforms.
        var rng = new SplitMix64(chunkSeed);
        float mean = (float)tensor.Mean, std = (float)tensor.Std;
        for (int i = 0; i < values.Length; i += 2)
        {
            float radius = MathF.Sqrt(-2f * MathF.Log(rng.NextUnitOpen())) * std;
            var (sin, cos) = MathF.SinCos(2f * MathF.PI * rng.NextUnitOpen());
            values[i] = mean + radius * cos;
            if (i + 1 < values.Length) values[i + 1] = mean + radius * sin;
        }
    }
}
