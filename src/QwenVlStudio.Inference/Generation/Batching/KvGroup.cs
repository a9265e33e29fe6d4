using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// Rows of a <see cref="LegacyDecodeBatch"/> that share one KV cache [B, n_kv, T, hd], left-padded to the longest
/// (T), and were stepped together since the group was built, so each row's padding is T − its length. A row that
/// leaves stays in <see cref="Layout"/> (its KV row is dead weight) until the group is rebuilt or disposed.
/// </summary>
internal sealed class KvGroup(List<DecodeRow> layout, KvCache kv) : IDisposable
{
    private readonly HashSet<DecodeRow> _live = new(layout, ReferenceEqualityComparer.Instance);

    /// <summary>The rows in KV order (index = batch row of the cache), departed ones included.</summary>
    public List<DecodeRow> Layout { get; } = layout;

    public KvCache Kv { get; } = kv;

    /// <summary>The last decoder call's logits [B, V] (row order of <see cref="Layout"/>), until the next call.</summary>
    public OrtValue? Logits { get; private set; }

    /// <summary>T: positions per row, padding included.</summary>
    public int Width => Kv.Length;

    public int LiveCount => _live.Count;

    /// <summary>True when every row of the layout is still here and exactly <paramref name="rows"/> are.</summary>
    public bool HoldsExactly(IReadOnlyCollection<DecodeRow> rows) =>
        Layout.Count == _live.Count && rows.Count == _live.Count && rows.All(_live.Contains);

    public int IndexOf(DecodeRow row) => Layout.IndexOf(row);

    /// <summary>Left padding of <paramref name="row"/>: its tokens sit at [Width − Length, Width).</summary>
    public int PadOf(DecodeRow row) => Width - row.Length;

    public void Depart(DecodeRow row) => _live.Remove(row);

    public void SetLogits(OrtValue logits)
    {
        Logits?.Dispose();
        Logits = logits;
    }

    public void Dispose()
    {
        Logits?.Dispose();
        Logits = null;
        Kv.Dispose();
    }
}
