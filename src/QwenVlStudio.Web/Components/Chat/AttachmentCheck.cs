using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Components.Chat;

/// <summary>
/// The one seam between the composer and the image rules: the upload validator (file type and size from the
/// header), then a full decode with the engine's own decoder, so a truncated or corrupt picture is refused when it
/// is attached, with the engine's reason, instead of failing after Send. When the image gate moves (ImageSharp),
/// only this class changes.
/// </summary>
public static class AttachmentCheck
{
    public static UploadCheck Check(ReadOnlySpan<byte> bytes, long maxBytes, long maxPixels)
    {
        var header = ImageUploadValidator.Check(bytes, maxBytes, maxPixels);
        if (!header.IsAccepted)
            return header;
        try
        {
            new ImageDecoder(new ImagePreprocessorOptions { MaxDecodedPixels = maxPixels, MaxEncodedBytes = maxBytes }).Decode(bytes);
            return header;
        }
        catch (ImageRejectedException ex)
        {
            return UploadCheck.Refused(Sentence(ex.Message));
        }
    }

    // The engine's messages are clauses ("the PNG image is truncated: …"); the composer shows sentences.
    private static string Sentence(string clause) =>
        clause.Length == 0 ? clause : char.ToUpperInvariant(clause[0]) + clause[1..] + (clause.EndsWith('.') ? "" : ".");
}
