using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Decodes JPEG, PNG, GIF (first frame), WebP and BMP files into upright 8-bit RGB with ImageSharp. The file passes
/// <see cref="ImageGate"/> first (size, format, announced pixel count, aspect ratio), so nothing is decoded that the
/// header already refuses; every refusal is an <see cref="ImageRejectedException"/> whose message says what is wrong.
/// </summary>
/// <remarks>
/// No colour management is applied (embedded ICC profiles are ignored), as in PIL, so pixel values are the file's
/// own. Transparent images are flattened per <see cref="ImagePreprocessorOptions.FlattenAlphaOntoWhite"/>.
/// </remarks>
public sealed class ImageDecoder
{
    private readonly ImagePreprocessorOptions _options;
    private readonly ImageGate _gate;

    public ImageDecoder(ImagePreprocessorOptions options)
    {
        options.Validate();
        _options = options;
        _gate = new ImageGate(options.MaxEncodedBytes, options.MaxDecodedPixels);
    }

    /// <summary>Reads and checks the header only; throws <see cref="ImageRejectedException"/> like <see cref="Decode"/>.</summary>
    public ImageHeader ReadHeader(ReadOnlySpan<byte> encoded) => _gate.Check(encoded);

    /// <summary>Decodes an encoded image file into upright RGB.</summary>
    public RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        var inspected = _gate.Inspect(encoded);
        var format = inspected.Header.Format;
        if (format == SupportedImageFormat.Jpeg && !JpegCompleteness.EndsAfterItsScan(encoded))
            throw new ImageRejectedException($"the JPEG image is truncated: the file ends before all its pixels ({encoded.Length:N0} bytes)");

        using var image = LoadRgba(encoded, format);
        int width = image.Width, height = image.Height;
        var rgb = new byte[(long)width * height * 3];
        bool flatten = _options.FlattenAlphaOntoWhite;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < height; y++)
            {
                var rgba = MemoryMarshal.AsBytes(rows.GetRowSpan(y));
                var row = rgb.AsSpan(y * width * 3, width * 3);
                if (flatten)
                    AlphaFlattening.FlattenOntoWhite(rgba, row);
                else
                    AlphaFlattening.DropAlpha(rgba, row);
            }
        });
        return ExifOrientation.Apply(new RgbImage(width, height, rgb), inspected.Orientation);
    }

    private static Image<Rgba32> LoadRgba(ReadOnlySpan<byte> encoded, SupportedImageFormat format)
    {
        try
        {
            return Image.Load<Rgba32>(ImageSharpSetup.Configuration, encoded);
        }
        catch (Exception e) when (e is ImageFormatException or EndOfStreamException or NotSupportedException)
        {
            throw new ImageRejectedException(
                $"the {format} image is truncated or corrupt: its pixel data cannot be decoded ({e.Message})", e);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new ImageRejectedException(
                $"the {format} image needs more memory to decode than the {ImageSharpSetup.AllocationLimitMegabytes:N0} MiB limit", e);
        }
    }
}
