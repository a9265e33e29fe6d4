namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Taps and fixed-point weights that resample one image axis from <see cref="InputSize"/> to
/// <see cref="OutputSize"/> samples with PyTorch's antialiased bicubic filter for uint8 images
/// (<c>interpolate(mode="bicubic", antialias=True, align_corners=False)</c>, which torchvision's <c>resize</c> calls).
/// </summary>
/// <remarks>
/// The reference computes every weight in double precision, normalises each output's weights to sum 1, then
/// converts them to 16-bit integers with the largest power-of-two scale (<see cref="Precision"/> bits, at most
/// 22) under which the largest weight of the whole axis still fits in an int16. Pixels are then summed in integer
/// arithmetic and rounded by adding half an ulp before the shift. Reproducing exactly these steps (rather than
/// filtering in floating point) is what makes our uint8 output match the reference bit for bit.
/// </remarks>
internal sealed class ResampleAxisPlan
{
    /// <summary>Keys' cubic convolution parameter; PyTorch uses −0.5 with antialias (PIL compatible).</summary>
    private const double CubicA = -0.5;

    /// <summary>The bicubic kernel spans 4 input samples when not widened.</summary>
    private const int BicubicInterpSize = 4;

    private const int MaxPrecisionBits = 22;

    private ResampleAxisPlan(int inputSize, int outputSize, int kernelSize, int precision, int[] starts, int[] counts, short[] weights)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        KernelSize = kernelSize;
        Precision = precision;
        Starts = starts;
        Counts = counts;
        Weights = weights;
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    /// <summary>Stride of <see cref="Weights"/> per output sample (the widest possible tap count).</summary>
    public int KernelSize { get; }

    /// <summary>Fixed-point fraction bits of <see cref="Weights"/>.</summary>
    public int Precision { get; }

    /// <summary>First input index read by each output sample.</summary>
    public int[] Starts { get; }

    /// <summary>Number of input samples read by each output sample.</summary>
    public int[] Counts { get; }

    /// <summary>Weights, <see cref="KernelSize"/> per output sample, scaled by 2^<see cref="Precision"/>.</summary>
    public short[] Weights { get; }

    public static ResampleAxisPlan Create(int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);

        double scale = (double)inputSize / outputSize;
        // When shrinking, the kernel is stretched by the scale so every input pixel contributes (antialiasing).
        double support = scale >= 1.0 ? (BicubicInterpSize * 0.5) * scale : BicubicInterpSize * 0.5;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;

        var starts = new int[outputSize];
        var counts = new int[outputSize];
        var realWeights = new double[outputSize * kernelSize];
        double maxWeight = 0.0;
        for (int i = 0; i < outputSize; i++)
        {
            double center = scale * (i + 0.5);
            // Casts truncate toward zero like the reference's static_cast<int64_t>.
            long xmin = Math.Max((long)(center - support + 0.5), 0L);
            long xsize = Math.Min((long)(center + support + 0.5), inputSize) - xmin;
            xsize = Math.Clamp(xsize, 0, kernelSize);

            var w = realWeights.AsSpan(i * kernelSize, kernelSize);
            double total = 0.0;
            for (int j = 0; j < xsize; j++)
            {
                w[j] = Cubic((j + xmin - center + 0.5) * invScale);
                total += w[j];
            }
            if (total != 0.0)
            {
                for (int j = 0; j < xsize; j++)
                {
                    w[j] /= total;
                    maxWeight = Math.Max(maxWeight, w[j]);
                }
            }
            starts[i] = (int)xmin;
            counts[i] = (int)xsize;
        }

        int precision;
        for (precision = 0; precision < MaxPrecisionBits; precision++)
        {
            int next = (int)(0.5 + maxWeight * (1 << (precision + 1)));
            if (next >= 1 << 15)
                break;
        }

        var weights = new short[realWeights.Length];
        for (int k = 0; k < realWeights.Length; k++)
        {
            double v = realWeights[k] * (1 << precision);
            weights[k] = (short)(v < 0 ? (int)(-0.5 + v) : (int)(0.5 + v));
        }
        return new ResampleAxisPlan(inputSize, outputSize, kernelSize, precision, starts, counts, weights);
    }

    /// <summary>Keys' cubic convolution kernel, written in the reference's operation order.</summary>
    internal static double Cubic(double x)
    {
        x = Math.Abs(x);
        if (x < 1.0)
            return ((CubicA + 2) * x - (CubicA + 3)) * x * x + 1;
        if (x < 2.0)
            return ((CubicA * x - 5 * CubicA) * x + 8 * CubicA) * x - 4 * CubicA;
        return 0.0;
    }
}
