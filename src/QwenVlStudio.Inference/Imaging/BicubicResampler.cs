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

    private static RgbImage ResizeHorizontally(RgbImage source, ResampleAxisPlan plan)
    {
        int outWidth = plan.OutputSize;
        int inRowLength = source.Width * 3;
        int outRowLength = outWidth * 3;
        var output = new byte[(long)outRowLength * source.Height];
        int shift = plan.Precision;
        int half = 1 << (shift - 1);
        var weights = plan.Weights;
        for (int y = 0; y < source.Height; y++)
        {
            var inRow = new ReadOnlySpan<byte>(source.Pixels, y * inRowLength, inRowLength);
            var outRow = new Span<byte>(output, y * outRowLength, outRowLength);
            for (int x = 0; x < outWidth; x++)
            {
                int r = half, g = half, b = half;
                int taps = plan.Counts[x];
                var tapWeights = new ReadOnlySpan<short>(weights, x * plan.KernelSize, taps);
                var tapPixels = inRow.Slice(plan.Starts[x] * 3, taps * 3);
                for (int k = 0; k < tapWeights.Length; k++)
                {
                    int w = tapWeights[k];
                    r += tapPixels[3 * k] * w;
                    g += tapPixels[3 * k + 1] * w;
                    b += tapPixels[3 * k + 2] * w;
                }
                outRow[3 * x] = ToByte(r >> shift);
                outRow[3 * x + 1] = ToByte(g >> shift);
                outRow[3 * x + 2] = ToByte(b >> shift);
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
        for (int e = 0; e < row.Length; e++)
            accumulator[e] += row[e] * weight;
    }

    private static byte ToByte(int value) => (byte)Math.Clamp(value, 0, 255);
}
