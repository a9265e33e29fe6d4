using Microsoft.ML.OnnxRuntime;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// A sequence's past keys and values, as the OrtValues the decoder returned last step (no copy between steps):
/// 2·L tensors [B, n_kv, P, hd], key before value per layer.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private OrtValue[] _values;

    private KvCache(OrtValue[] values, int length)
    {
        _values = values;
        Length = length;
    }

    /// <summary>P: tokens held.</summary>
    public int Length { get; private set; }

    public IReadOnlyList<OrtValue> Values => _values;

    /// <summary>Bytes of all the tensors (what a cache bounded by memory counts).</summary>
    public long SizeInBytes => _values.Sum(KvTensors.SizeInBytes);

    public static KvCache Empty(int layers, int batch, int kvHeads, int headDim)
    {
        var values = new OrtValue[layers * 2];
        for (int i = 0; i < values.Length; i++)
            values[i] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [batch, kvHeads, 0, headDim]);
        return new KvCache(values, 0);
    }

    /// <summary>Takes ownership of tensors already shaped [B, n_kv, length, hd].</summary>
    public static KvCache Adopt(OrtValue[] values, int length) => new(values, length);

    /// <summary>Takes ownership of the decoder's present.* outputs and frees the previous step's tensors.</summary>
    public void Replace(OrtValue[] presents, int newLength)
    {
        var old = _values;
        _values = presents;
        Length = newLength;
        foreach (var value in old) value.Dispose();
    }

    /// <summary>A new cache holding copies of the first <paramref name="length"/> positions of batch row <paramref name="row"/>.</summary>
    public KvCache CopyPrefix(int length, int row = 0, int offset = 0)
    {
        if (length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"{length} positions from {offset} asked of a cache holding {Length}");
        var copies = new OrtValue[_values.Length];
        try
        {
            for (int i = 0; i < _values.Length; i++)
            {
                var (_, heads, _, headDim) = KvTensors.Shape(_values[i]);
                copies[i] = KvTensors.Allocate(1, heads, length, headDim);
                KvTensors.CopyPositions(_values[i], row, offset, copies[i], 0, 0, length);
            }
        }
        catch
        {
            foreach (var copy in copies) copy?.Dispose();
            throw;
        }
        return new KvCache(copies, length);
    }

    public void Dispose()
    {
        foreach (var value in _values) value.Dispose();
        _values = [];
    }
}
