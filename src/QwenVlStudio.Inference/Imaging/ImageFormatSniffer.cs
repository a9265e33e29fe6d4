using System.Text.Unicode;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Names what a file is from its first bytes, so that a refusal can say "this is a TIFF" or "this is a PNG but
/// it is cut short" instead of a bare "cannot decode". Only used to word error messages.
/// </summary>
internal static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> IcoSignature => [0x00, 0x00, 0x01, 0x00];

    /// <summary>The formats <see cref="ImageGate"/> accepts, by name; null when the bytes are none of them.</summary>
    public static string? SupportedFormatName(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature)) return "PNG";
        if (data.StartsWith(JpegSignature)) return "JPEG";
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return "GIF";
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return "WebP";
        if (data.StartsWith("BM"u8)) return "BMP";
        return null;
    }

    /// <summary>A short description of a recognisable file that is not a supported image, or null.</summary>
    public static (string Description, bool IsImage)? UnsupportedKind(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) return ("a TIFF image", true);
        if (data.StartsWith(IcoSignature)) return ("an ICO icon", true);
        if (data.StartsWith("8BPS"u8)) return ("a Photoshop document", true);
        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8)) return ("a HEIF/AVIF/MP4 file", true);
        if (data.StartsWith("%PDF"u8)) return ("a PDF document", false);
        if (data.StartsWith("PK\x03\x04"u8)) return ("a ZIP archive", false);
        if (LooksLikeText(data))
            return (data.IndexOf("<svg"u8) >= 0 ? "an SVG drawing (text)" : "a text file", false);
        return null;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 512)];
        if (head.IsEmpty)
            return false;
        foreach (var b in head)
        {
            if (b < 0x09 || b is > 0x0D and < 0x20 || b == 0x7F)
                return false;
        }
        // Bytes ≥ 0x80 must form valid UTF-8; the 512-byte cut may split the last character, so allow that.
        for (int cut = 0; cut <= 3 && cut < head.Length; cut++)
        {
            if (Utf8.IsValid(head[..^cut]))
                return true;
        }
        return false;
    }
}
