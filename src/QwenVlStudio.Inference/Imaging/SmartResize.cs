namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Qwen2-VL's <c>smart_resize</c> (model-package.md §2): the target size whose sides are multiples of
/// <c>factor</c>, as close to the original aspect ratio as the pixel budget allows. Mirrors the Python arithmetic
/// exactly (double precision, <c>round</c> = round-half-to-even, <c>floor</c>/<c>ceil</c>), so grids match the
/// reference to the pixel.
/// </summary>
public static class SmartResize
{
    /// <summary>Images more elongated than this are refused by the reference, and by us.</summary>
    public const double MaxAspectRatio = 200;

    public static (int Height, int Width) Compute(int height, int width, int factor, long minPixels, long maxPixels)
    {
        if (height <= 0 || width <= 0)
            throw new ImageRejectedException($"image has no pixels ({width}×{height})");
        if (factor <= 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be positive");
        if ((double)Math.Max(height, width) / Math.Min(height, width) > MaxAspectRatio)
            throw new ImageRejectedException(
                $"image is {width}×{height}: its aspect ratio exceeds {MaxAspectRatio:0}:1, which the model cannot take");

        long hBar = RoundHalfEven((double)height / factor) * factor;
        long wBar = RoundHalfEven((double)width / factor) * factor;
        double area = (double)((long)height * width);
        if (hBar * wBar > maxPixels)
        {
            double beta = Math.Sqrt(area / maxPixels);
            hBar = Math.Max(factor, (long)Math.Floor(height / beta / factor) * factor);
            wBar = Math.Max(factor, (long)Math.Floor(width / beta / factor) * factor);
        }
        else if (hBar * wBar < minPixels)
        {
            double beta = Math.Sqrt(minPixels / area);
            hBar = (long)Math.Ceiling(height * beta / factor) * factor;
            wBar = (long)Math.Ceiling(width * beta / factor) * factor;
        }
        return (checked((int)hBar), checked((int)wBar));
    }

    private static long RoundHalfEven(double x) => (long)Math.Round(x, MidpointRounding.ToEven);
}
