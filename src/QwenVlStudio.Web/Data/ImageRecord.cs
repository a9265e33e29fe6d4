namespace QwenVlStudio.Web.Data;

/// <summary>An uploaded image's metadata; its bytes live in LiteDB file storage under <see cref="FileId"/>.</summary>
public sealed class ImageRecord
{
    /// <summary>Server-generated (random) name; the client's file name is never used for storage.</summary>
    public string Id { get; set; } = "";

    public Guid OwnerId { get; set; }

    public string ContentType { get; set; } = "";

    public int Width { get; set; }

    public int Height { get; set; }

    public long Length { get; set; }

    public DateTime CreatedUtc { get; set; }

    public string FileId => $"images/{Id}";
}
