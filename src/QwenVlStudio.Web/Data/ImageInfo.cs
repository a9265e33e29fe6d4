namespace QwenVlStudio.Web.Data;

/// <summary>What the upload check learned from an image's header.</summary>
public sealed record ImageInfo(string ContentType, string Extension, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}
