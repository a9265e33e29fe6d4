using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// The fused decoder's preallocated KV (docs/fused-package.md): per layer one key and one value buffer
/// [MaxRows, n_kv, C, hd] float32 in reserved native memory, and OrtValues over it that the decoder binds as both
/// past and present (GroupQueryAttention writes the new positions in place). A decode step over rows 0…B−1 binds
/// the first B rows (row is the outermost axis, so they are one contiguous block); a prefill chunk binds one row.
/// The views are created once and reused, so a step allocates nothing here.
/// </summary>
internal sealed class KvPool : IDisposable
{
    private readonly ReservedMemory[] _buffers; // 2·L: key then value of each layer
    private readonly OrtValue[]?[] _leadingRows; // [B − 1][2·L]: views of rows 0…B−1
    private readonly OrtValue[]?[] _singleRows; // [row][2·L]: views of one row
    private readonly long _rowFloats;

    public KvPool(int layers, int maxRows, int kvHeads, int capacity, int headDim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        (Layers, MaxRows, KvHeads, Capacity, HeadDim) = (layers, maxRows, kvHeads, capacity, headDim);
        _rowFloats = (long)kvHeads * capacity * headDim;
        _buffers = new ReservedMemory[2 * layers];
        try
        {
            for (int i = 0; i < _buffers.Length; i++) _buffers[i] = new ReservedMemory(_rowFloats * maxRows * sizeof(float));
        }
        catch
        {
            foreach (var buffer in _buffers) buffer?.Dispose();
            throw;
        }
        _leadingRows = new OrtValue[]?[maxRows];
        _singleRows = new OrtValue[]?[maxRows];
    }

    public int Layers { get; }
    public int MaxRows { get; }
    public int KvHeads { get; }

    /// <summary>C: positions one row holds.</summary>
    public int Capacity { get; }

    public int HeadDim { get; }

    /// <summary>Bytes one position of one row takes over all layers (keys and values).</summary>
    public long BytesPerPosition => 2L * Layers * KvHeads * HeadDim * sizeof(float);

    /// <summary>The 2·L tensors [count, n_kv, C, hd] over rows 0…count−1 (key before value per layer).</summary>
    public IReadOnlyList<OrtValue> LeadingRows(int count)
    {
        if (count < 1 || count > MaxRows) throw new ArgumentOutOfRangeException(nameof(count), $"{count} rows of {MaxRows}");
        return _leadingRows[count - 1] ??= Views(0, count);
    }

    /// <summary>The 2·L tensors [1, n_kv, C, hd] over one row.</summary>
    public IReadOnlyList<OrtValue> Row(int row)
    {
        CheckRow(row);
        return _singleRows[row] ??= Views(row, 1);
    }

    /// <summary>Copies positions 0…length−1 of a legacy-shaped cache [1, n_kv, length, hd] into positions 0… of a row.</summary>
    public void CopyIn(KvCache source, int row)
    {
        CheckRow(row);
        if (source.Values.Count != _buffers.Length)
            throw new ArgumentException($"the cache has {source.Values.Count} tensors; this model needs {_buffers.Length}");
        if (source.Length > Capacity)
            throw new ArgumentException($"the cache holds {source.Length} positions; a row holds {Capacity}");
        for (int t = 0; t < _buffers.Length; t++)
        {
            var (batch, heads, positions, headDim) = KvTensors.Shape(source.Values[t]);
            if (batch != 1 || heads != KvHeads || headDim != HeadDim || positions != source.Length)
                throw new ArgumentException($"cache tensor {t} is [{batch}, {heads}, {positions}, {headDim}]; expected [1, {KvHeads}, {source.Length}, {HeadDim}]");
            var data = source.Values[t].GetTensorDataAsSpan<float>();
            int block = positions * HeadDim;
            for (int h = 0; h < heads; h++)
                data.Slice(h * block, block).CopyTo(Positions(t, row, h, 0, positions));
        }
    }

    /// <summary>A legacy-shaped copy [1, n_kv, length, hd] of a row's positions 0…length−1 (prefix cache).</summary>
    public KvCache CopyOut(int row, int length)
    {
        CheckRow(row);
        if (length < 0 || length > Capacity) throw new ArgumentOutOfRangeException(nameof(length));
        var values = new OrtValue[_buffers.Length];
        try
        {
            for (int t = 0; t < values.Length; t++)
            {
                values[t] = KvTensors.Allocate(1, KvHeads, length, HeadDim);
                var data = values[t].GetTensorMutableDataAsSpan<float>();
                int block = length * HeadDim;
                for (int h = 0; h < KvHeads; h++)
                    Positions(t, row, h, 0, length).CopyTo(data.Slice(h * block, block));
            }
        }
        catch
        {
            foreach (var value in values) value?.Dispose();
            throw;
        }
        return KvCache.Adopt(values, length);
    }

    /// <summary>Copies positions 0…length−1 of row <paramref name="from"/> to row <paramref name="to"/>.</summary>
    public void Move(int from, int to, int length)
    {
        CheckRow(from);
        CheckRow(to);
        if (from == to) return;
        for (int t = 0; t < _buffers.Length; t++)
            for (int h = 0; h < KvHeads; h++)
                Positions(t, from, h, 0, length).CopyTo(Positions(t, to, h, 0, length));
    }

    /// <summary>Exchanges the first <paramref name="length"/> positions of two rows.</summary>
    public void Swap(int a, int b, int length)
    {
        CheckRow(a);
        CheckRow(b);
        if (a == b || length == 0) return;
        var scratch = new float[length * HeadDim];
        for (int t = 0; t < _buffers.Length; t++)
            for (int h = 0; h < KvHeads; h++)
            {
                var first = Positions(t, a, h, 0, length);
                var second = Positions(t, b, h, 0, length);
                first.CopyTo(scratch);
                second.CopyTo(first);
                scratch.CopyTo(second);
            }
    }

    /// <summary>Gives a row's memory back to the OS (the row is free; its contents are undefined).</summary>
    public void Release(int row) => ReleaseFrom(row, 0);

    /// <summary>
    /// Gives the memory of a row's positions ≥ <paramref name="position"/> back to the OS (their contents become
    /// undefined): a slot that received a shorter row keeps no pages of the longer one it held.
    /// </summary>
    public void ReleaseFrom(int row, int position)
    {
        CheckRow(row);
        if (position < 0 || position > Capacity) throw new ArgumentOutOfRangeException(nameof(position));
        if (position == 0)
        {
            foreach (var buffer in _buffers) buffer.Release(row * _rowFloats * sizeof(float), _rowFloats * sizeof(float));
            return;
        }
        long tail = (long)(Capacity - position) * HeadDim * sizeof(float);
        foreach (var buffer in _buffers)
            for (int h = 0; h < KvHeads; h++)
                buffer.Release((row * _rowFloats + ((long)h * Capacity + position) * HeadDim) * sizeof(float), tail);
    }

    private Span<float> Positions(int tensor, int row, int head, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), $"positions [{start}, {start + count}) outside a row of {Capacity}");
        return _buffers[tensor].Floats(row * _rowFloats + ((long)head * Capacity + start) * HeadDim, count * HeadDim);
    }

    private OrtValue[] Views(int firstRow, int rows)
    {
        var views = new OrtValue[_buffers.Length];
        long[] shape = [rows, KvHeads, Capacity, HeadDim];
        long bytes = rows * _rowFloats * sizeof(float);
        try
        {
            for (int t = 0; t < views.Length; t++)
                views[t] = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape,
                    _buffers[t].Address + (nint)(firstRow * _rowFloats * sizeof(float)), bytes);
        }
        catch
        {
            foreach (var view in views) view?.Dispose();
            throw;
        }
        return views;
    }

    private void CheckRow(int row)
    {
        if (row < 0 || row >= MaxRows) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} of {MaxRows}");
    }

    public void Dispose()
    {
        foreach (var views in _leadingRows.Concat(_singleRows))
            if (views is not null)
                foreach (var view in views) view?.Dispose();
        Array.Clear(_leadingRows);
        Array.Clear(_singleRows);
        foreach (var buffer in _buffers) buffer.Dispose();
    }
}
