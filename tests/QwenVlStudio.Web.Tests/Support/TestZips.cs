using System.IO.Compression;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Zip archives built in memory for the archive-safety facts.</summary>
public static class TestZips
{
    public static byte[] Create(params (string Name, byte[] Bytes)[] entries) => Create(CompressionLevel.Optimal, entries);

    public static byte[] Create(CompressionLevel level, params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = zip.CreateEntry(name, level);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>One entry of <paramref name="megabytes"/> MiB of zeros: deflate shrinks it about a thousandfold.</summary>
    public static byte[] Bomb(int megabytes = 20) => Create(("zeros.png", new byte[megabytes * 1024 * 1024]));
}
