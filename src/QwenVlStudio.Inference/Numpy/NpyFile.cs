using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace QwenVlStudio.Inference.Numpy;

/// <summary>Minimal reader/writer for NumPy .npy version 1/2 files holding f4, f8, i4, i8, u1 or b1 arrays.</summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static NpyArray Read(Stream stream, string nameForErrors = "npy")
    {
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        if (!prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{nameForErrors}: not a .npy file");
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            stream.ReadExactly(len);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else
        {
            Span<byte> len = stackalloc byte[4];
            stream.ReadExactly(len);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(len));
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = Encoding.ASCII.GetString(headerBytes);

        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !shapeMatch.Success)
            throw new InvalidDataException($"{nameForErrors}: unreadable header '{header}'");
        if (fortran.Success && fortran.Groups[1].Value == "True")
            throw new InvalidDataException($"{nameForErrors}: Fortran order is not supported");
        var typeString = descr.Groups[1].Value;
        if (typeString[0] == '>')
            throw new InvalidDataException($"{nameForErrors}: big-endian data is not supported");
        var dtype = typeString.TrimStart('<', '|', '=');
        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        long count = 1;
        foreach (var d in shape) count *= d;

        Array data = dtype switch
        {
            "f4" => ReadValues<float>(stream, count),
            "f8" => ReadValues<double>(stream, count),
            "i4" => ReadValues<int>(stream, count),
            "i8" => ReadValues<long>(stream, count),
            "u1" or "b1" => ReadValues<byte>(stream, count),
            _ => throw new InvalidDataException($"{nameForErrors}: dtype '{typeString}' is not supported"),
        };
        return new NpyArray(dtype, shape, data);
    }

    public static void Write(string path, ReadOnlySpan<float> values, params int[] shape) =>
        Write(path, "<f4", MemoryMarshal.AsBytes(values), shape);

    public static void Write(string path, ReadOnlySpan<long> values, params int[] shape) =>
        Write(path, "<i8", MemoryMarshal.AsBytes(values), shape);

    private static void Write(string path, string descr, ReadOnlySpan<byte> bytes, int[] shape)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        // Pad so that the data starts on a 64-byte boundary, header ends with '\n' (format spec).
        int total = Magic.Length + 2 + 2 + header.Length + 1;
        int padding = (64 - total % 64) % 64;
        header = header + new string(' ', padding) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        stream.Write(len);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(bytes);
    }

    private static T[] ReadValues<T>(Stream stream, long count) where T : unmanaged
    {
        var values = new T[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
