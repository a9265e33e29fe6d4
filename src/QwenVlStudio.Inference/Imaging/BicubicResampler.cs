using System.Numerics;
using System.Runtime.InteropServices;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Resizes an <see cref="RgbImage"/> exactly like torchvision's <c>resize(uint8 tensor, BICUBIC, antialias=True)</c>:
/// a separable filter, horizontal pass first into an 8-bit intermediate, then the vertical pass, each with the
/// integer weights of <see cref="ResampleAxisPlan"/>. An axis whose size does not change is not filtered at all.
/// </summary>
public static class BicubicResampler
{
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var image = source;
        if (width != image.Width)
            image = ResizeHorizontally(image, ResampleAxisPlan.Create(image.Width, width));
        if (height != image.Height)
            image = ResizeVertically(image, ResampleAxisPlan.Create(image.Height, height));
        return image == source ? new RgbImage(source.Width, source.Height, (byte[])source.Pixels.Clone()) : image;
    }

    private static unsafe RgbImage ResizeHorizontally(RgbImage source, ResampleAxisPlan plan)
    {
        int outWidth = plan.OutputSize;
        int inRowLength = source.Width * 3;
        int outRowLength = outWidth * 3;
        var output = new byte[(long)outRowLength * source.Height];
        int shift = plan.Precision;
        int half = 1 << (shift - 1);
        int kernelSize = plan.KernelSize;
        // Pointers: this loop runs taps × 3 times per output pixel of every row, bounds checks would dominate.
        fixed (byte* inBase = source.Pixels, outBase = output)
        fixed (short* weightBase = plan.Weights)
        fixed (int* starts = plan.Starts, counts = plan.Counts)
        {
            for (int y = 0; y < source.Height; y++)
            {
                byte* inRow = inBase + (long)y * inRowLength;
                byte* outPixel = outBase + (long)y * outRowLength;
                for (int x = 0; x < outWidth; x++, outPixel += 3)
                {
                    int r = half, g = half, b = half;
                    short* w = weightBase + x * kernelSize;
                    byte* p = inRow + starts[x] * 3;
                    for (int k = 0, taps = counts[x]; k < taps; k++, p += 3)
                    {
                        int wk = w[k];
                        r += p[0] * wk;
                        g += p[1] * wk;
                        b += p[2] * wk;
                    }
                    outPixel[0] = ToByte(r >> shift);
                    outPixel[1] = ToByte(g >> shift);
                    outPixel[2] = ToByte(b >> shift);
                }
            }
        }
        return new RgbImage(outWidth, source.Height, output);
    }

    private static RgbImage ResizeVertically(RgbImage source, ResampleAxisPlan plan)
    {
        int rowLength = source.Width * 3;
        int outHeight = plan.OutputSize;
        var output = new byte[(long)rowLength * outHeight];
        int shift = plan.Precision;
        int half = 1 << (shift - 1);
        var accumulator = new int[rowLength];
        for (int y = 0; y < outHeight; y++)
        {
            // Row-wise accumulation keeps the inner loop sequential in memory for every tap.
            Array.Fill(accumulator, half);
            int taps = plan.Counts[y];
            for (int k = 0; k < taps; k++)
            {
                int w = plan.Weights[y * plan.KernelSize + k];
                var inRow = new ReadOnlySpan<byte>(source.Pixels, (plan.Starts[y] + k) * rowLength, rowLength);
                AddScaledRow(accumulator, inRow, w);
            }
            var outRow = new Span<byte>(output, y * rowLength, rowLength);
            for (int e = 0; e < rowLength; e++)
                outRow[e] = ToByte(accumulator[e] >> shift);
        }
        return new RgbImage(source.Width, outHeight, output);
    }

    private static void AddScaledRow(Span<int> accumulator, ReadOnlySpan<byte> row, int weight)
    {
        // Widen 8-bit samples to 32-bit lanes and multiply-add a whole vector at a time; the tail is scalar.
        int e = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<byte>.Count)
        {
            var w = new Vector<int>(weight);
            var accumulators = MemoryMarshal.Cast<int, Vector<int>>(accumulator);
            int lanes = Vector<int>.Count;
            for (; e <= row.Length - Vector<byte>.Count; e += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(row.Slice(e)), out var low16, out var high16);
                Vector.Widen(low16, out var a, out var b);
                Vector.Widen(high16, out var c, out var d);
                int v = e / lanes;
                accumulators[v] += Vector.AsVectorInt32(a) * w;
                accumulators[v + 1] += Vector.AsVectorInt32(b) * w;
                accumulators[v + 2] += Vector.AsVectorInt32(c) * w;
                accumulators[v + 3] += Vector.AsVectorInt32(d) * w;
            }
        }
        for (; e < row.Length; e++)
            accumulator[e] += row[e] * weight;
    }

    private static byte ToByte(int value) => (byte)Math.Clamp(value, 0, 255);
}
