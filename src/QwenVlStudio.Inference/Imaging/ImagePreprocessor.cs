namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Turns an encoded image file into the vision encoder's input (model-package.md §2): decode to upright RGB,
/// smart_resize to multiples of patch·merge within the pixel budget, antialiased bicubic resize, normalise, and
/// cut into patch rows. Stateless and thread-safe.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly ImageDecoder _decoder;
    private readonly PixelNormalizer _normalizer;

    public ImagePreprocessor(ImagePreprocessorOptions options)
    {
        options.Validate();
        Options = options;
        _decoder = new ImageDecoder(options);
        _normalizer = new PixelNormalizer(options.ImageMean, options.ImageStd, options.RescaleFactor);
    }

    public ImagePreprocessorOptions Options { get; }

    public PreprocessedImage Preprocess(byte[] encoded) => Preprocess(encoded.AsSpan());

    public PreprocessedImage Preprocess(ReadOnlySpan<byte> encoded) =>
        Preprocess(encoded, Options.MinPixels, Options.MaxPixels);

    /// <summary>As <see cref="Preprocess(ReadOnlySpan{byte})"/> with another pixel budget (e.g. a user setting).</summary>
    public PreprocessedImage Preprocess(ReadOnlySpan<byte> encoded, long minPixels, long maxPixels)
    {
        CheckBudget(minPixels, maxPixels);
        return Preprocess(_decoder.Decode(encoded), minPixels, maxPixels);
    }

    /// <summary>Preprocesses an already decoded image with the configured pixel budget.</summary>
    public PreprocessedImage Preprocess(RgbImage image) => Preprocess(image, Options.MinPixels, Options.MaxPixels);

    public PreprocessedImage Preprocess(RgbImage image, long minPixels, long maxPixels)
    {
        CheckBudget(minPixels, maxPixels);
        var (height, width) = SmartResize.Compute(image.Height, image.Width, Options.ResizeFactor, minPixels, maxPixels);
        var resized = width == image.Width && height == image.Height ? image : BicubicResampler.Resize(image, width, height);
        return Patchifier.Patchify(resized, _normalizer, Options.PatchSize, Options.TemporalPatchSize, Options.MergeSize);
    }

    /// <summary>The target size smart_resize picks for an image of the given size with this budget.</summary>
    public (int Height, int Width) TargetSize(int height, int width, long minPixels, long maxPixels) =>
        SmartResize.Compute(height, width, Options.ResizeFactor, minPixels, maxPixels);

    private static void CheckBudget(long minPixels, long maxPixels)
    {
        if (minPixels <= 0 || maxPixels < minPixels)
            throw new ArgumentOutOfRangeException(nameof(minPixels), $"pixel budget [{minPixels}, {maxPixels}] is invalid: need 0 < min ≤ max");
    }
}
