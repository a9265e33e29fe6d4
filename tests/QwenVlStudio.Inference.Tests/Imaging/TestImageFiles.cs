using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>
/// Builds small image files in memory for decoder tests: SkiaSharp encodes PNG, JPEG and WebP; GIF, BMP, EXIF
/// segments and hostile PNG headers are written byte by byte because Skia has no encoder for them.
/// </summary>
internal static class TestImageFiles
{
    /// <summary>Unpremultiplied RGBA pixels, row-major.</summary>
    public static byte[] Encode(int width, int height, byte[] rgba, SKEncodedImageFormat format, int quality = 100)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        unsafe
        {
            fixed (byte* pixels = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)pixels);
                using var data = format == SKEncodedImageFormat.Webp
                    ? pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
                    : pixmap.Encode(format, quality);
                return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode {format}");
            }
        }
    }

    /// <summary>An opaque image whose colour identifies its quadrant: red top-left, green top-right, blue bottom-left, white bottom-right.</summary>
    public static byte[] QuadrantsRgba(int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => (255, 0, 0),
                    (false, true) => (0, 255, 0),
                    (true, false) => (0, 0, 255),
                    _ => (255, 255, 255),
                };
                int i = (y * width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)r, (byte)g, (byte)b, (byte)255);
            }
        return rgba;
    }

    /// <summary>24-bit uncompressed BMP (bottom-up rows, BGR, rows padded to 4 bytes).</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        int rowSize = (width * 3 + 3) / 4 * 4;
        var file = new byte[54 + rowSize * height];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                int i = 54 + (height - 1 - y) * rowSize + x * 3;
                (file[i], file[i + 1], file[i + 2]) = (b, g, r);
            }
        return file;
    }

    /// <summary>
    /// A GIF with a 4-colour palette and <paramref name="frames"/> frames of colour indices. The LZW stream sends a
    /// clear code before every two literals so the code width never grows: valid, if not compressed.
    /// </summary>
    public static byte[] Gif(int width, int height, (byte R, byte G, byte B)[] palette, params byte[][] frames)
    {
        if (palette.Length != 4)
            throw new ArgumentException("palette must have 4 colours");
        using var s = new MemoryStream();
        s.Write("GIF89a"u8);
        WriteUInt16(s, width);
        WriteUInt16(s, height);
        s.WriteByte(0b1000_0001); // global colour table of 2^(1+1) = 4 entries
        s.WriteByte(0);
        s.WriteByte(0);
        foreach (var (r, g, b) in palette)
        {
            s.WriteByte(r);
            s.WriteByte(g);
            s.WriteByte(b);
        }
        foreach (var indices in frames)
        {
            s.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]); // graphic control: 0.1 s, no transparency
            s.WriteByte(0x2C);
            WriteUInt16(s, 0);
            WriteUInt16(s, 0);
            WriteUInt16(s, width);
            WriteUInt16(s, height);
            s.WriteByte(0);
            const int minCodeSize = 2, clear = 4, end = 5;
            s.WriteByte(minCodeSize);
            var bits = new List<bool>();
            void Code(int code)
            {
                for (int b = 0; b < minCodeSize + 1; b++)
                    bits.Add(((code >> b) & 1) != 0);
            }
            for (int i = 0; i < indices.Length; i++)
            {
                if (i % 2 == 0)
                    Code(clear);
                Code(indices[i]);
            }
            Code(end);
            var bytes = new byte[(bits.Count + 7) / 8];
            for (int b = 0; b < bits.Count; b++)
                if (bits[b])
                    bytes[b / 8] |= (byte)(1 << (b % 8));
            for (int offset = 0; offset < bytes.Length; offset += 255)
            {
                int n = Math.Min(255, bytes.Length - offset);
                s.WriteByte((byte)n);
                s.Write(bytes, offset, n);
            }
            s.WriteByte(0);
        }
        s.WriteByte(0x3B);
        return s.ToArray();
    }

    /// <summary>Inserts an EXIF APP1 segment holding only an orientation tag right after a JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            throw new ArgumentException("not a JPEG");
        using var tiff = new MemoryStream();
        tiff.Write("MM\0*"u8);                 // big-endian TIFF header
        WriteBigEndian(tiff, 8, 4);            // offset of IFD0
        WriteBigEndian(tiff, 1, 2);            // one entry
        WriteBigEndian(tiff, 0x0112, 2);       // Orientation
        WriteBigEndian(tiff, 3, 2);            // SHORT
        WriteBigEndian(tiff, 1, 4);            // count 1
        WriteBigEndian(tiff, orientation, 2);  // value, left-justified in the 4-byte field
        WriteBigEndian(tiff, 0, 2);
        WriteBigEndian(tiff, 0, 4);            // no next IFD
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff.ToArray()).ToArray();
        using var s = new MemoryStream();
        s.Write(jpeg, 0, 2);
        s.Write([0xFF, 0xE1]);
        WriteBigEndian(s, payload.Length + 2, 2);
        s.Write(payload);
        s.Write(jpeg, 2, jpeg.Length - 2);
        return s.ToArray();
    }

    /// <summary>
    /// A well-formed PNG whose header announces <paramref name="width"/>×<paramref name="height"/> RGB pixels but whose
    /// data is a few hundred bytes of compressed zeros: a decompression bomb if anyone decoded it.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var s = new MemoryStream();
        s.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // RGB
        WriteChunk(s, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(new byte[64 * 1024]);
        WriteChunk(s, "IDAT", compressed.ToArray());
        WriteChunk(s, "IEND", []);
        return s.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        WriteBigEndian(s, data.Length, 4);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        WriteBigEndian(s, (long)Crc32(typed), 4);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static void WriteUInt16(Stream s, int value)
    {
        s.WriteByte((byte)value);
        s.WriteByte((byte)(value >> 8));
    }

    private static void WriteBigEndian(Stream s, long value, int bytes)
    {
        for (int i = bytes - 1; i >= 0; i--)
            s.WriteByte((byte)(value >> (8 * i)));
    }
}
