using SkiaSharp;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Decodes JPEG, PNG, GIF (first frame), WebP and BMP files into upright 8-bit RGB with SkiaSharp. Everything that
/// can be checked from the header (size of the file, format, announced pixel count, aspect ratio) is checked before
/// a pixel is decoded; every refusal is an <see cref="ImageRejectedException"/> whose message says what is wrong.
/// </summary>
/// <remarks>
/// No colour management is applied (embedded ICC profiles are ignored), as in PIL, so pixel values are the file's
/// own. Transparent images are flattened per <see cref="ImagePreprocessorOptions.FlattenAlphaOntoWhite"/>.
/// </remarks>
public sealed class ImageDecoder
{
    private static readonly Dictionary<SKEncodedImageFormat, string> SupportedFormats = new()
    {
        [SKEncodedImageFormat.Jpeg] = "JPEG",
        [SKEncodedImageFormat.Png] = "PNG",
        [SKEncodedImageFormat.Gif] = "GIF",
        [SKEncodedImageFormat.Webp] = "WebP",
        [SKEncodedImageFormat.Bmp] = "BMP",
    };

    private readonly ImagePreprocessorOptions _options;

    public ImageDecoder(ImagePreprocessorOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Reads and checks the header only; throws <see cref="ImageRejectedException"/> like <see cref="Decode"/>.</summary>
    public ImageHeader ReadHeader(ReadOnlySpan<byte> encoded)
    {
        using var data = CopyChecked(encoded);
        using var codec = OpenChecked(data, encoded, out var format);
        var info = codec.Info;
        bool swap = ExifOrientation.SwapsAxes(codec.EncodedOrigin);
        return new ImageHeader(format, swap ? info.Height : info.Width, swap ? info.Width : info.Height,
            info.AlphaType != SKAlphaType.Opaque);
    }

    /// <summary>Decodes an encoded image file into upright RGB.</summary>
    public RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        using var data = CopyChecked(encoded);
        using var codec = OpenChecked(data, encoded, out var format);
        var info = codec.Info;
        var rgba = new byte[checked((long)info.Width * info.Height * 4)];
        // Unpremultiplied RGBA with no colour space: the stored colour values, untouched by colour management.
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult result;
        unsafe
        {
            fixed (byte* pixels = rgba)
                result = codec.GetPixels(target, (IntPtr)pixels, target.RowBytes, new SKCodecOptions(0));
        }
        if (result != SKCodecResult.Success)
            throw new ImageRejectedException(result switch
            {
                SKCodecResult.IncompleteInput => $"the {format} image is truncated: the file ends before all its pixels",
                SKCodecResult.ErrorInInput => $"the {format} image is corrupt: its pixel data cannot be decoded",
                _ => $"the {format} image cannot be decoded ({result})",
            });

        var rgb = new byte[(long)info.Width * info.Height * 3];
        if (info.AlphaType != SKAlphaType.Opaque && _options.FlattenAlphaOntoWhite)
            AlphaFlattening.FlattenOntoWhite(rgba, rgb);
        else
            AlphaFlattening.DropAlpha(rgba, rgb);
        return ExifOrientation.Apply(new RgbImage(info.Width, info.Height, rgb), codec.EncodedOrigin);
    }

    private SKData CopyChecked(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
            throw new ImageRejectedException("the image file is empty (0 bytes)");
        if (encoded.Length > _options.MaxEncodedBytes)
            throw new ImageRejectedException(
                $"the image file is {encoded.Length:N0} bytes; the limit is {_options.MaxEncodedBytes:N0} bytes");
        return SKData.CreateCopy(encoded);
    }

    private SKCodec OpenChecked(SKData data, ReadOnlySpan<byte> encoded, out string format)
    {
        var codec = SKCodec.Create(data);
        if (codec is null)
            throw new ImageRejectedException(DescribeUnreadable(encoded));
        try
        {
            if (!SupportedFormats.TryGetValue(codec.EncodedFormat, out var name))
                throw new ImageRejectedException(
                    $"{codec.EncodedFormat} images are not supported; send JPEG, PNG, GIF, WebP or BMP");
            format = name;
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0)
                throw new ImageRejectedException($"the {name} image has no pixels ({info.Width}×{info.Height})");
            long pixels = (long)info.Width * info.Height;
            if (pixels > _options.MaxDecodedPixels)
                throw new ImageRejectedException(
                    $"the {name} image is {info.Width}×{info.Height} = {pixels:N0} pixels; the limit is {_options.MaxDecodedPixels:N0} pixels");
            double ratio = (double)Math.Max(info.Width, info.Height) / Math.Min(info.Width, info.Height);
            if (ratio > SmartResize.MaxAspectRatio)
                throw new ImageRejectedException(
                    $"the {name} image is {info.Width}×{info.Height}: its aspect ratio exceeds {SmartResize.MaxAspectRatio:0}:1, which the model cannot take");
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    private static string DescribeUnreadable(ReadOnlySpan<byte> encoded)
    {
        var supported = ImageFormatSniffer.SupportedFormatName(encoded);
        if (supported is not null)
            return $"the file starts like a {supported} image but is truncated or corrupt ({encoded.Length:N0} bytes)";
        var other = ImageFormatSniffer.UnsupportedKindName(encoded);
        if (other is not null)
            return $"the file is {other}, not a supported image; send JPEG, PNG, GIF, WebP or BMP";
        return $"the file is not a recognised image ({encoded.Length:N0} bytes); send JPEG, PNG, GIF, WebP or BMP";
    }
}
