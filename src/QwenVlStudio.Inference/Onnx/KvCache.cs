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

    public static KvCache Empty(int layers, int batch, int kvHeads, int headDim)
    {
        var values = new OrtValue[layers * 2];
        for (int i = 0; i < values.Length; i++)
            values[i] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [batch, kvHeads, 0, headDim]);
        return new KvCache(values, 0);
    }

    /// <summary>Takes ownership of the decoder's present.* outputs and frees the previous step's tensors.</summary>
    public void Replace(OrtValue[] presents, int newLength)
    {
        var old = _values;
        _values = presents;
        Length = newLength;
        foreach (var value in old) value.Dispose();
    }

    public void Dispose()
    {
        foreach (var value in _values) value.Dispose();
        _values = [];
    }
}
