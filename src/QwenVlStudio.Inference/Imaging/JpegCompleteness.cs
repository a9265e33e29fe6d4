using System.Buffers.Binary;

namespace QwenVlStudio.Inference.Imaging;

/// <summary>
/// Tells a whole JPEG from a cut one by walking its marker segments to the end-of-image marker. ImageSharp pads a
/// file that ends mid-scan with grey and reports nothing; PIL (and SkiaSharp before) refuse it, and so do we:
/// the model must not describe half a photo.
/// </summary>
internal static class JpegCompleteness
{
    private const byte Marker = 0xFF, StartOfImage = 0xD8, EndOfImage = 0xD9, StartOfScan = 0xDA, Temporary = 0x01;

    /// <summary>True when the segments, and the entropy-coded data after each start-of-scan, lead to an EOI marker.</summary>
    public static bool EndsAfterItsScan(ReadOnlySpan<byte> jpeg)
    {
        int i = 2; // after SOI
        while (true)
        {
            // A marker is 0xFF (any number of fill bytes) then its code.
            if (i >= jpeg.Length || jpeg[i] != Marker)
                return false;
            while (i < jpeg.Length && jpeg[i] == Marker)
                i++;
            if (i >= jpeg.Length)
                return false;
            byte code = jpeg[i++];
            if (code == EndOfImage)
                return true;
            if (code is StartOfImage or Temporary or >= 0xD0 and <= 0xD7)
                continue; // markers without a length
            if (i + 2 > jpeg.Length)
                return false;
            i += BinaryPrimitives.ReadUInt16BigEndian(jpeg[i..]);
            if (code == StartOfScan)
                i = EndOfEntropyData(jpeg, i);
        }
    }

    /// <summary>Index of the first marker after entropy-coded data: 0xFF followed by neither 0x00 (a stuffed byte) nor RST0–7.</summary>
    private static int EndOfEntropyData(ReadOnlySpan<byte> jpeg, int i)
    {
        while (i < jpeg.Length)
        {
            int next = jpeg[i..].IndexOf(Marker);
            if (next < 0)
                return jpeg.Length;
            i += next;
            if (i + 1 >= jpeg.Length)
                return jpeg.Length;
            byte after = jpeg[i + 1];
            if (after == 0x00 || after is >= 0xD0 and <= 0xD7 || after == Marker)
            {
                i += after == Marker ? 1 : 2;
                continue;
            }
            return i;
        }
        return jpeg.Length;
    }
}
