using QwenVlStudio.Web.Data;
using SkiaSharp;

namespace QwenVlStudio.Web.Uploads;

/// <summary>
/// Checks an upload from its bytes, never its name or declared type: it must be a JPEG, PNG, GIF or WebP whose
/// header gives a size within the pixel limit. Only the header is read, so a decompression bomb costs nothing.
/// </summary>
public static class ImageUploadValidator
{
    public static UploadCheck Check(ReadOnlySpan<byte> bytes, long maxBytes, long maxPixels)
    {
        if (bytes.IsEmpty)
            return UploadCheck.Refused("The file is empty.");
        if (bytes.Length > maxBytes)
            return UploadCheck.Refused($"The file is {FormatBytes(bytes.Length)}; the limit is {FormatBytes(maxBytes)}.");

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return UploadCheck.Refused("This is not an image this server can read (use JPG, PNG, GIF or WebP).");

        var (contentType, extension) = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ("image/jpeg", ".jpg"),
            SKEncodedImageFormat.Png => ("image/png", ".png"),
            SKEncodedImageFormat.Gif => ("image/gif", ".gif"),
            SKEncodedImageFormat.Webp => ("image/webp", ".webp"),
            _ => (null, null),
        };
        if (contentType is null || extension is null)
            return UploadCheck.Refused($"{codec.EncodedFormat} images are not supported (use JPG, PNG, GIF or WebP).");

        var info = new ImageInfo(contentType, extension, codec.Info.Width, codec.Info.Height);
        if (info.Width <= 0 || info.Height <= 0)
            return UploadCheck.Refused("The image has no pixels.");
        if (info.Pixels > maxPixels)
            return UploadCheck.Refused(
                $"The image is {info.Width}×{info.Height} ({info.Pixels:N0} pixels); the limit is {maxPixels:N0} pixels. Please scale it down.");
        return UploadCheck.Accepted(info);
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
