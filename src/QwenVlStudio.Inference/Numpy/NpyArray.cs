namespace QwenVlStudio.Inference.Numpy;

/// <summary>An n-dimensional array read from or written to a NumPy .npy file (C order, little-endian).</summary>
public sealed class NpyArray
{
    public NpyArray(string dtype, int[] shape, Array data)
    {
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>NumPy type string without byte order, e.g. "f4", "i8".</summary>
    public string DType { get; }
    public int[] Shape { get; }
    public Array Data { get; }

    public long Length => Data.LongLength;

    public float[] AsFloat32() => Data as float[] ?? throw new InvalidDataException($"npy dtype is {DType}, not f4");
    public long[] AsInt64() => Data as long[] ?? throw new InvalidDataException($"npy dtype is {DType}, not i8");
}
