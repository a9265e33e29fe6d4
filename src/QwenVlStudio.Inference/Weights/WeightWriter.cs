using System.Buffers;
using System.Runtime.InteropServices;

namespace QwenVlStudio.Inference.Weights;

/// <summary>
/// Writes a manifest's data file. Work is split into fixed chunks seeded by (seed, tensor, chunk), so the bytes are
/// the same whatever the thread count. Kinds: ones / zeros / normal(mean, std) / constant(value) for float32;
/// zeros / int8_random (codes −127…127) for int8; zeros / uint8_random / uint4_packed_random (two 4-bit codes per
/// byte) for uint8 — quantized graphs then compute finite values with their constant scales.
/// </summary>
public static class WeightWriter
{
    private const int ChunkBytes = 1 << 24;

    public static bool Supports(string kind, string dtype) => (kind, dtype) switch
    {
        ("zeros", _) => true,
        ("ones" or "normal" or "constant", "float32") => true,
        ("int8_random", "int8") => true,
        ("uint8_random" or "uint4_packed_random" or "byte_fill", "uint8") => true,
        _ => false,
    };

    public static void Write(WeightManifest manifest, string dataPath, ulong seed, int threads, IProgress<long>? bytesWritten, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(dataPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.None, manifest.DataFileBytes);
        RandomAccess.SetLength(handle, manifest.DataFileBytes);
        var chunks = new List<(int Tensor, long Chunk)>();
        for (int t = 0; t < manifest.Tensors.Count; t++)
        {
            var tensor = manifest.Tensors[t];
            if (tensor.Kind == "zeros") continue; // the file is created zero-filled
            long count = (tensor.Length + ChunkBytes - 1) / ChunkBytes;
            for (long c = 0; c < count; c++) chunks.Add((t, c));
        }
        long written = 0;
        Parallel.ForEach(chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken },
            chunk =>
            {
                var tensor = manifest.Tensors[chunk.Tensor];
                long first = chunk.Chunk * ChunkBytes;
                int n = (int)Math.Min(ChunkBytes, tensor.Length - first);
                var buffer = ArrayPool<byte>.Shared.Rent(n);
                try
                {
                    Fill(buffer.AsSpan(0, n), tensor, SplitMix64.Mix(seed, ((ulong)chunk.Tensor << 32) | (ulong)chunk.Chunk));
                    RandomAccess.Write(handle, buffer.AsSpan(0, n), tensor.Offset + first);
                    bytesWritten?.Report(Interlocked.Add(ref written, n));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
    }

    /// <summary>Fills one chunk (a whole number of elements: chunks are 16 MiB, elements 1 or 4 bytes).</summary>
    internal static void Fill(Span<byte> bytes, WeightTensor tensor, ulong chunkSeed)
    {
        var rng = new SplitMix64(chunkSeed);
        switch (tensor.Kind)
        {
            case "zeros":
                bytes.Clear();
                return;
            case "ones":
                MemoryMarshal.Cast<byte, float>(bytes).Fill(1f);
                return;
            case "constant":
                MemoryMarshal.Cast<byte, float>(bytes).Fill((float)tensor.Value);
                return;
            case "byte_fill":
                bytes.Fill((byte)tensor.Value);
                return;
            case "int8_random":
                for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(sbyte)((int)(rng.Next() % 255) - 127);
                return;
            case "uint8_random" or "uint4_packed_random":
                // Every byte value is two valid 4-bit codes, so uniform bytes are uniform packed codes.
                for (int i = 0; i < bytes.Length; i += 8)
                {
                    ulong r = rng.Next();
                    for (int b = 0; b < 8 && i + b < bytes.Length; b++) bytes[i + b] = (byte)(r >> (8 * b));
                }
                return;
            case "normal":
                FillNormal(MemoryMarshal.Cast<byte, float>(bytes), (float)tensor.Mean, (float)tensor.Std, ref rng);
                return;
            default:
                throw new InvalidOperationException($"unsupported weight kind '{tensor.Kind}'");
        }
    }

    /// <summary>Box–Muller: two normal values per pair of uniforms.</summary>
    private static void FillNormal(Span<float> values, float mean, float std, ref SplitMix64 rng)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            float radius = MathF.Sqrt(-2f * MathF.Log(rng.NextUnitOpen())) * std;
            var (sin, cos) = MathF.SinCos(2f * MathF.PI * rng.NextUnitOpen());
            values[i] = mean + radius * cos;
            if (i + 1 < values.Length) values[i + 1] = mean + radius * sin;
        }
    }
}
