namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// A decoded image: 8-bit R, G, B interleaved per pixel, rows top to bottom (<c>Pixels[(y·Width + x)·3 + c]</c>).
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.LongLength != (long)width * height * 3)
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}×{height} RGB, got {pixels.LongLength}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>Value of channel <paramref name="channel"/> (0 = R) at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y, int channel] => Pixels[((long)y * Width + x) * 3 + channel];
}
