using System.Security.Cryptography;

namespace QwenVlStudio.Web.Data;

/// <summary>
/// Uploaded images in LiteDB file storage under random, server-generated names. Reads check the owner: another
/// user's image is reported as not found.
/// </summary>
public sealed class ImageStore(StudioDatabase db, TimeProvider clock)
{
    public ImageRecord Save(Guid ownerId, ReadOnlySpan<byte> bytes, ImageInfo info)
    {
        var record = new ImageRecord
        {
            Id = NewId(),
            OwnerId = ownerId,
            ContentType = info.ContentType,
            Width = info.Width,
            Height = info.Height,
            Length = bytes.Length,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        using (var stream = new MemoryStream(bytes.ToArray(), writable: false))
            db.Files.Upload(record.FileId, record.Id + info.Extension, stream);
        db.Images.Insert(record);
        return record;
    }

    public ImageRecord? Find(Guid ownerId, string imageId)
    {
        if (!IsWellFormedId(imageId))
            return null;
        var record = db.Images.FindById(imageId);
        return record?.OwnerId == ownerId ? record : null;
    }

    public byte[]? ReadBytes(Guid ownerId, string imageId)
    {
        var record = Find(ownerId, imageId);
        if (record is null)
            return null;
        using var buffer = new MemoryStream((int)record.Length);
        db.Files.Download(record.FileId, buffer);
        return buffer.ToArray();
    }

    public bool Delete(Guid ownerId, string imageId)
    {
        var record = Find(ownerId, imageId);
        if (record is null)
            return false;
        db.Files.Delete(record.FileId);
        return db.Images.Delete(record.Id);
    }

    /// <summary>32 hex characters from a cryptographic RNG: unguessable and safe in URLs and file names.</summary>
    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static bool IsWellFormedId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
