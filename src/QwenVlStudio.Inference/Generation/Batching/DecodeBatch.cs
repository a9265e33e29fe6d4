using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// The sequences decoded together: one KV cache [B, n_kv, T, hd] whose rows are left-padded to the longest
/// sequence (T), and one decoder call per step for all rows (model-package.md §6: attention_mask 0 over the
/// padding, per-row MRoPE positions). Rows join and leave between steps by copying into a new cache; during
/// steps the cache passes from one call to the next as ONNX Runtime's outputs, as for a single sequence.
/// </summary>
internal sealed class DecodeBatch : IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly int _vocab;
    private List<BatchMember> _rows = [];
    private KvCache? _kv;
    private OrtValue? _logits;

    public DecodeBatch(ModelSessions sessions)
    {
        _sessions = sessions;
        _vocab = sessions.Package.Config.Text.VocabSize;
    }

    public IReadOnlyList<BatchMember> Rows => _rows;

    public int Count => _rows.Count;

    /// <summary>T: positions in the batch's KV, padding included.</summary>
    public int Width => _kv?.Length ?? 0;

    /// <summary>Bytes of the batched KV cache.</summary>
    public long KvBytes => _kv?.SizeInBytes ?? 0;

    /// <summary>
    /// Rebuilds the batch without <paramref name="leaving"/> and with <paramref name="joining"/> added as the last row,
    /// its prefilled single-row cache (consumed) copied in.
    /// </summary>
    public void Reshape(IReadOnlyCollection<BatchMember> leaving, BatchMember? joining = null, KvCache? joiningCache = null)
    {
        if ((joining is null) != (joiningCache is null))
            throw new ArgumentException("a joining member needs its cache, and only then");
        try
        {
            var kept = _rows.Where(r => !leaving.Contains(r)).ToList();
            if (joining is not null)
            {
                if (joiningCache!.Length != joining.Length)
                    throw new ArgumentException($"the joining cache holds {joiningCache.Length} positions but the sequence {joining.Length}");
                kept.Add(joining);
            }
            if (kept.Count == 0)
            {
                Clear();
                return;
            }
            int width = kept.Max(r => r.Length);
            var template = (joiningCache ?? _kv)!.Values;
            var values = new OrtValue[template.Count];
            try
            {
                for (int t = 0; t < values.Length; t++)
                {
                    var (_, heads, _, headDim) = KvTensors.Shape(template[t]);
                    values[t] = KvTensors.Allocate(kept.Count, heads, width, headDim);
                    for (int row = 0; row < kept.Count; row++)
                    {
                        var member = kept[row];
                        int pad = width - member.Length;
                        KvTensors.ClearPositions(values[t], row, 0, pad);
                        if (ReferenceEquals(member, joining))
                            KvTensors.CopyPositions(joiningCache!.Values[t], 0, 0, values[t], row, pad, member.Length);
                        else
                            KvTensors.CopyPositions(_kv!.Values[t], _rows.IndexOf(member), Width - member.Length, values[t], row, pad, member.Length);
                    }
                }
            }
            catch
            {
                foreach (var value in values) value?.Dispose();
                throw;
            }
            _kv?.Dispose();
            _kv = KvCache.Adopt(values, width);
            _rows = kept;
            _logits?.Dispose();
            _logits = null;
        }
        finally
        {
            joiningCache?.Dispose();
        }
    }

    /// <summary>Feeds every row's last picked token through the decoder; each row's logits are then in <see cref="Logits"/>.</summary>
    public void Step()
    {
        var kv = _kv ?? throw new InvalidOperationException("the batch is empty");
        var config = _sessions.Package.Config;
        int b = _rows.Count, t = kv.Length, h = config.Text.HiddenSize, k = config.Vision.DeepstackCount;
        var ids = new long[b];
        var mask = new long[b * (t + 1)];
        var positions = new long[3 * b];
        for (int row = 0; row < b; row++)
        {
            var member = _rows[row];
            ids[row] = member.Answer.LastToken;
            int pad = t - member.Length;
            mask.AsSpan(row * (t + 1) + pad, member.Length + 1).Fill(1);
            // The new token sits at index Length of its own sequence, whatever the padding before it.
            long position = member.Length + member.RopeDelta;
            positions[row] = positions[b + row] = positions[2 * b + row] = position;
        }
        using var embeds = _sessions.Embedder.Embed(ids, b, 1);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [b, t + 1]);
        using var positionValue = OrtValue.CreateTensorValueFromMemory(positions, [3, b, 1]);
        using var deepstack = OrtValue.CreateTensorValueFromMemory(new float[k * b * h], [k, b, 1, h]);
        var logits = _sessions.Decoder.Run(embeds, maskValue, positionValue, deepstack, kv, 1);
        _logits?.Dispose();
        _logits = logits;
        foreach (var member in _rows) member.Fed();
    }

    /// <summary>Row <paramref name="row"/>'s logits of the last step (editable in place until the next step).</summary>
    public Span<float> Logits(int row) =>
        (_logits ?? throw new InvalidOperationException("no step has run since the batch changed"))
        .GetTensorMutableDataAsSpan<float>().Slice(row * _vocab, _vocab);

    /// <summary>A copy of one member's KV positions without padding (for the prefix cache).</summary>
    public KvCache CopyRow(BatchMember member)
    {
        int row = _rows.IndexOf(member);
        if (row < 0) throw new ArgumentException("not in this batch", nameof(member));
        return _kv!.CopyPrefix(member.Length, row, Width - member.Length);
    }

    public void Clear()
    {
        _kv?.Dispose();
        _kv = null;
        _logits?.Dispose();
        _logits = null;
        _rows = [];
    }

    public void Dispose() => Clear();
}
