using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// One of the five image formats the server takes, everywhere (upload check, engine decoder, thumbnails): JPEG,
/// PNG, GIF (first frame), WebP and BMP. The one list; nothing else names formats.
/// </summary>
public sealed record SupportedImageFormat(string Name, string MimeType, string Extension)
{
    public static readonly SupportedImageFormat Jpeg = new("JPEG", "image/jpeg", ".jpg");
    public static readonly SupportedImageFormat Png = new("PNG", "image/png", ".png");
    public static readonly SupportedImageFormat Gif = new("GIF", "image/gif", ".gif");
    public static readonly SupportedImageFormat Webp = new("WebP", "image/webp", ".webp");
    public static readonly SupportedImageFormat Bmp = new("BMP", "image/bmp", ".bmp");

    public static IReadOnlyList<SupportedImageFormat> All { get; } = [Jpeg, Png, Gif, Webp, Bmp];

    /// <summary>"JPEG, PNG, GIF, WebP or BMP", for messages that tell the user what to send.</summary>
    public static string NamesForMessages { get; } =
        string.Join(", ", All.SkipLast(1).Select(f => f.Name)) + " or " + All[^1].Name;

    /// <summary>The ImageSharp format each supported format is decoded with.</summary>
    internal IImageFormat ImageSharpFormat => Name switch
    {
        "JPEG" => JpegFormat.Instance,
        "PNG" => PngFormat.Instance,
        "GIF" => GifFormat.Instance,
        "WebP" => WebpFormat.Instance,
        _ => BmpFormat.Instance,
    };

    internal static SupportedImageFormat? FromImageSharp(IImageFormat format) =>
        All.FirstOrDefault(f => ReferenceEquals(f.ImageSharpFormat, format));

    public override string ToString() => Name;
}
