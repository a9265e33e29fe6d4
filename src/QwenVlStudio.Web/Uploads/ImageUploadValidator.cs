using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Uploads;

/// <summary>
/// Checks an upload from its bytes, never its name or declared type, with the engine's own <see cref="ImageGate"/>:
/// the same formats, header check, pixel limit and EXIF-upright size as the decoder that will read it later. Only
/// the header is read, so a decompression bomb costs nothing.
/// </summary>
public static class ImageUploadValidator
{
    public static UploadCheck Check(ReadOnlySpan<byte> bytes, long maxBytes, long maxPixels)
    {
        try
        {
            var header = new ImageGate(maxBytes, maxPixels).Check(bytes);
            return UploadCheck.Accepted(new ImageInfo(header.Format.MimeType, header.Format.Extension, header.Width, header.Height));
        }
        catch (ImageRejectedException e)
        {
            return UploadCheck.Refused(EngineMessage.AsSentence(e.Message) + ".");
        }
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
