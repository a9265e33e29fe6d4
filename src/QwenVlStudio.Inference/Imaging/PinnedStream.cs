namespace QwenVlStudio.Inference.Imaging;

/// <summary>Reads a span through a <see cref="Stream"/> without copying it (ImageSharp's Identify wants a stream).</summary>
internal static class PinnedStream
{
    public static unsafe T Read<T>(ReadOnlySpan<byte> data, Func<Stream, T> read)
    {
        fixed (byte* pointer = data)
        {
            using var stream = new UnmanagedMemoryStream(pointer, data.Length);
            return read(stream);
        }
    }
}
