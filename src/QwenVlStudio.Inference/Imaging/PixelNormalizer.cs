namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Maps 8-bit channel values to the model's float inputs the way transformers' torchvision backend does: rescale
/// and normalisation are fused into <c>(x − mean/rescale) / (std/rescale)</c>, every step in float32. With the Qwen
/// values (mean = std = 0.5, rescale = 1/255) this is <c>(x − 127.5f) / 127.5f</c>.
/// </summary>
/// <remarks>
/// A uint8 input has only 256 possible values per channel, so the result is precomputed into a lookup table: the
/// same float operations as the reference, run once.
/// </remarks>
internal sealed class PixelNormalizer
{
    private readonly float[][] _tables;

    public PixelNormalizer(IReadOnlyList<float> mean, IReadOnlyList<float> std, double rescaleFactor)
    {
        if (mean.Count != 3 || std.Count != 3)
            throw new ArgumentException("mean and std need 3 values");
        // transformers: torch.tensor(mean) * (1.0 / rescale_factor) is a float32 tensor times a scalar, i.e. the
        // scalar is rounded to float32 first and the product is computed in float32.
        float inverseRescale = (float)(1.0 / rescaleFactor);
        _tables = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            float scaledMean = mean[c] * inverseRescale;
            float scaledStd = std[c] * inverseRescale;
            var table = new float[256];
            for (int x = 0; x < 256; x++)
                table[x] = (x - scaledMean) / scaledStd;
            _tables[c] = table;
        }
    }

    /// <summary>Normalised value of 8-bit <paramref name="value"/> in channel <paramref name="channel"/> (0 = R).</summary>
    public float this[int channel, byte value] => _tables[channel][value];

    public ReadOnlySpan<float> Table(int channel) => _tables[channel];
}
