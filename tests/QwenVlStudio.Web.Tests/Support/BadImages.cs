using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Files that look like images to a careless server: each one must fail with a clear reason.</summary>
public static class BadImages
{
    public static byte[] NotAnImage() => Encoding.UTF8.GetBytes("name,value\nthis is a CSV file, not a picture\n");

    /// <summary>A valid PNG whose data stops halfway: its header is fine, its pixels are not all there.</summary>
    public static byte[] Truncated()
    {
        var png = TestImages.Png(320, 200);
        return png[..(png.Length * 6 / 10)];
    }

    /// <summary>
    /// A decompression bomb: a few dozen bytes whose header announces a 100,000 × 100,000 picture (10 gigapixels,
    /// 40 GB decoded). The header is well-formed (CRC included) so that only the pixel limit can refuse it.
    /// </summary>
    public static byte[] PixelBomb(int width = 100_000, int height = 100_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(png, "IHDR", header);
        using (var zlib = new MemoryStream())
        {
            using (var deflate = new ZLibStream(zlib, CompressionLevel.Optimal, leaveOpen: true))
                deflate.Write(new byte[4096]);
            WriteChunk(png, "IDAT", zlib.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
