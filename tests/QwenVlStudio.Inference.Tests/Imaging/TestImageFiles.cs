using System.Buffers.Binary;
using System.Text;
using QwenVlStudio.Inference.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace QwenVlStudio.Inference.Tests.Imaging;

/// <summary>
/// Builds small image files in memory for decoder tests: ImageSharp encodes PNG, JPEG and (lossless) WebP; GIF,
/// BMP, EXIF segments and hostile PNG headers are written byte by byte so that every byte of them is known.
/// </summary>
internal static class TestImageFiles
{
    /// <summary>Unpremultiplied RGBA pixels, row-major.</summary>
    public static byte[] Encode(int width, int height, byte[] rgba, SupportedImageFormat format, int quality = 100)
    {
        using var image = Image.LoadPixelData<Rgba32>(rgba, width, height);
        IImageEncoder encoder = format.Name switch
        {
            "PNG" => new PngEncoder(),
            "JPEG" => new JpegEncoder { Quality = quality },
            "WebP" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            _ => throw new ArgumentException($"no {format} encoder here; build {format} files byte by byte", nameof(format)),
        };
        using var file = new MemoryStream();
        image.Save(file, encoder);
        return file.ToArray();
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

    /// <summary>
    /// An animated WebP: a VP8X header with the animation flag, an ANIM chunk and one ANMF frame per colour, each a
    /// lossless full-canvas frame (the VP8L chunk ImageSharp writes for a single still image).
    /// </summary>
    public static byte[] AnimatedWebp(int width, int height, params (byte R, byte G, byte B)[] frameColours)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        var vp8x = new byte[10];
        vp8x[0] = 0b0000_0010; // animation
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        WriteRiffChunk(body, "VP8X", vp8x);
        WriteRiffChunk(body, "ANIM", [255, 255, 255, 255, 0, 0]); // white background, loop forever
        foreach (var (r, g, b) in frameColours)
        {
            var rgba = new byte[width * height * 4];
            for (int i = 0; i < rgba.Length; i += 4)
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, 255);
            var still = Encode(width, height, rgba, SupportedImageFormat.Webp);
            var vp8l = RiffChunk(still, "VP8L");
            var frame = new byte[16];
            WriteUInt24(frame.AsSpan(6), width - 1);
            WriteUInt24(frame.AsSpan(9), height - 1);
            WriteUInt24(frame.AsSpan(12), 100); // 100 ms; flags byte 0: no blending, no disposal
            using var anmf = new MemoryStream();
            anmf.Write(frame);
            WriteRiffChunk(anmf, "VP8L", vp8l);
            WriteRiffChunk(body, "ANMF", anmf.ToArray());
        }
        using var file = new MemoryStream();
        file.Write("RIFF"u8);
        file.Write(BitConverter.GetBytes((uint)body.Length));
        file.Write(body.ToArray());
        return file.ToArray();
    }

    private static byte[] RiffChunk(byte[] webp, string fourCc)
    {
        for (int offset = 12; offset + 8 <= webp.Length;)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(offset + 4));
            if (Encoding.ASCII.GetString(webp, offset, 4) == fourCc)
                return webp.AsSpan(offset + 8, size).ToArray();
            offset += 8 + size + (size & 1);
        }
        throw new ArgumentException($"no {fourCc} chunk in the WebP file");
    }

    private static void WriteRiffChunk(Stream s, string fourCc, byte[] data)
    {
        s.Write(Encoding.ASCII.GetBytes(fourCc));
        s.Write(BitConverter.GetBytes((uint)data.Length));
        s.Write(data);
        if (data.Length % 2 == 1)
            s.WriteByte(0);
    }

    private static void WriteUInt24(Span<byte> target, int value) =>
        (target[0], target[1], target[2]) = ((byte)value, (byte)(value >> 8), (byte)(value >> 16));

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
