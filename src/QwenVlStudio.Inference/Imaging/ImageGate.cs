using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// The one check every image passes before a pixel is decoded: the upload validator, the engine's decoder and the
/// batch jobs all ask it. From the header only (so a decompression bomb costs nothing) it checks the file size, the
/// format (<see cref="SupportedImageFormat.All"/>; GIFs give their first frame, animated WebPs are refused), the pixel
/// count, the upright size (EXIF orientation applied) and the aspect ratio the model can take. Every refusal is an
/// <see cref="ImageRejectedException"/> whose message says what is wrong.
/// </summary>
public sealed class ImageGate
{
    public ImageGate(long maxEncodedBytes, long maxDecodedPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEncodedBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecodedPixels);
        MaxEncodedBytes = maxEncodedBytes;
        MaxDecodedPixels = maxDecodedPixels;
    }

    public long MaxEncodedBytes { get; }

    public long MaxDecodedPixels { get; }

    /// <summary>The upright size, format and alpha of an acceptable image; throws <see cref="ImageRejectedException"/> otherwise.</summary>
    public ImageHeader Check(ReadOnlySpan<byte> encoded) => Inspect(encoded).Header;

    internal InspectedImage Inspect(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
            throw new ImageRejectedException("the image file is empty (0 bytes)");
        if (encoded.Length > MaxEncodedBytes)
            throw new ImageRejectedException(
                $"the image file is {encoded.Length:N0} bytes; the limit is {MaxEncodedBytes:N0} bytes");

        if (ImageFormatSniffer.SupportedFormatName(encoded) == SupportedImageFormat.Webp.Name && WebpAnimation.IsAnimated(encoded))
            throw new ImageRejectedException(
                $"animated WebP images are not supported; send a still image ({SupportedImageFormat.NamesForMessages}), e.g. its first frame");
        var (info, format) = Identify(encoded);
        string name = format.Name;
        int width = info.Width, height = info.Height;
        if (width <= 0 || height <= 0)
            throw new ImageRejectedException($"the {name} image has no pixels ({width}×{height})");
        long pixels = (long)width * height;
        if (pixels > MaxDecodedPixels)
            throw new ImageRejectedException(
                $"the {name} image is {width}×{height} = {pixels:N0} pixels; the limit is {MaxDecodedPixels:N0} pixels");
        double ratio = (double)Math.Max(width, height) / Math.Min(width, height);
        if (ratio > SmartResize.MaxAspectRatio)
            throw new ImageRejectedException(
                $"the {name} image is {width}×{height}: its aspect ratio exceeds {SmartResize.MaxAspectRatio:0}:1, which the model cannot take");

        var orientation = ReadOrientation(info);
        bool swap = ExifOrientation.SwapsAxes(orientation);
        var header = new ImageHeader(format, swap ? height : width, swap ? width : height, HasAlpha(info, format));
        return new InspectedImage(header, orientation);
    }

    private static (IImageInfo Info, SupportedImageFormat Format) Identify(ReadOnlySpan<byte> encoded)
    {
        IImageInfo? info;
        IImageFormat? detected;
        try
        {
            (info, detected) = PinnedStream.Read(encoded, stream =>
            {
                var identified = Image.Identify(ImageSharpSetup.Configuration, stream, out var imageFormat);
                return (identified, imageFormat);
            });
        }
        catch (Exception e) when (e is ImageFormatException or InvalidMemoryOperationException or EndOfStreamException or NotSupportedException)
        {
            throw new ImageRejectedException(DescribeUnreadable(encoded), e);
        }
        if (info is null || detected is null || SupportedImageFormat.FromImageSharp(detected) is not { } format)
            throw new ImageRejectedException(DescribeUnreadable(encoded));
        return (info, format);
    }

    /// <summary>EXIF orientation 1–8 from any format's EXIF profile (JPEG APP1, PNG eXIf, WebP EXIF), as PIL reads it; 1 when absent or invalid.</summary>
    private static ushort ReadOrientation(IImageInfo info)
    {
        var value = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? 1;
        return value is >= 1 and <= 8 ? value : (ushort)1;
    }

    /// <summary>PNG says so in its colour type or a tRNS chunk; the other decoders report it in the pixel type.</summary>
    private static bool HasAlpha(IImageInfo info, SupportedImageFormat format)
    {
        if (format == SupportedImageFormat.Png)
        {
            var png = info.Metadata.GetPngMetadata();
            return png.ColorType is PngColorType.RgbWithAlpha or PngColorType.GrayscaleWithAlpha || png.HasTransparency;
        }
        return info.PixelType.AlphaRepresentation is { } alpha && alpha != PixelAlphaRepresentation.None;
    }

    private static string DescribeUnreadable(ReadOnlySpan<byte> encoded)
    {
        var send = $"send {SupportedImageFormat.NamesForMessages}";
        var supported = ImageFormatSniffer.SupportedFormatName(encoded);
        if (supported is not null)
            return $"the file starts like a {supported} image but is truncated or corrupt ({encoded.Length:N0} bytes)";
        if (ImageFormatSniffer.UnsupportedKind(encoded) is var (other, isImage))
            return isImage
                ? $"the file is {other}, a format this server does not take; {send}"
                : $"the file is {other}, not an image; {send}";
        return $"the file is not a recognised image ({encoded.Length:N0} bytes); {send}";
    }
}
