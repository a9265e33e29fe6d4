namespace QwenVlStudio.Web.Batches;

/// <summary>
/// One file offered for a batch: its display name and a way to read it, or the reason it was refused before
/// (e.g. by the archive reader). Bytes are read once, when the batch is created.
/// </summary>
public sealed record BatchInput(string FileName, Func<Stream>? Open, string? Refusal)
{
    public static BatchInput FromBytes(string fileName, byte[] bytes) => new(fileName, () => new MemoryStream(bytes, writable: false), null);

    public static BatchInput FromFile(string fileName, string path) => new(fileName, () => File.OpenRead(path), null);

    public static BatchInput Refused(string fileName, string reason) => new(fileName, null, reason);
}
