using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// Copies between KV tensors shaped [B, n_kv, T, hd] (row-major): a run of positions of one batch row into a
/// position range of a row of another tensor. The position axis is not outermost, so a sub-range is n_kv strided
/// blocks, one per head.
/// </summary>
internal static class KvTensors
{
    /// <summary>A new native tensor [batch, heads, positions, headDim]; its contents are undefined until written.</summary>
    public static OrtValue Allocate(int batch, int heads, int positions, int headDim) =>
        OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [batch, heads, positions, headDim]);

    public static (int Batch, int Heads, int Positions, int HeadDim) Shape(OrtValue tensor)
    {
        var shape = tensor.GetTensorTypeAndShape().Shape;
        return ((int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    /// <summary>Copies positions [srcStart, srcStart + count) of row <paramref name="srcRow"/> to [dstStart, …) of row <paramref name="dstRow"/>.</summary>
    public static void CopyPositions(OrtValue source, int srcRow, int srcStart, OrtValue destination, int dstRow, int dstStart, int count)
    {
        if (count == 0) return;
        var (_, heads, srcT, d) = Shape(source);
        var (_, dstHeads, dstT, dstD) = Shape(destination);
        if (heads != dstHeads || d != dstD)
            throw new ArgumentException($"KV tensors differ in heads or head size ({heads}×{d} vs {dstHeads}×{dstD})");
        if (srcStart < 0 || srcStart + count > srcT || dstStart < 0 || dstStart + count > dstT)
            throw new ArgumentOutOfRangeException(nameof(count), $"positions [{srcStart}, {srcStart + count}) → [{dstStart}, {dstStart + count}) do not fit {srcT} → {dstT}");
        var src = source.GetTensorDataAsSpan<float>();
        var dst = destination.GetTensorMutableDataAsSpan<float>();
        int block = count * d;
        for (int h = 0; h < heads; h++)
        {
            long from = (((long)srcRow * heads + h) * srcT + srcStart) * d;
            long to = (((long)dstRow * heads + h) * dstT + dstStart) * d;
            src.Slice(checked((int)from), block).CopyTo(dst.Slice(checked((int)to), block));
        }
    }

    /// <summary>Zeroes positions [start, start + count) of one row (left padding must not hold NaN garbage).</summary>
    public static void ClearPositions(OrtValue tensor, int row, int start, int count)
    {
        if (count == 0) return;
        var (_, heads, t, d) = Shape(tensor);
        var data = tensor.GetTensorMutableDataAsSpan<float>();
        for (int h = 0; h < heads; h++)
            data.Slice(checked((int)((((long)row * heads + h) * t + start) * d)), count * d).Clear();
    }

    public static long SizeInBytes(OrtValue tensor) => tensor.GetTensorTypeAndShape().ElementCount * sizeof(float);
}
