using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// <see cref="IDecodeBatch"/> on today's decoder graph (past_key_values in, present.* out; model-package.md §6).
/// A joining row gets a KV cache of its own and is prefilled in chunks on it (decoder calls with past). Prefilled
/// rows decode in <see cref="KvGroup"/>s: one left-padded cache per set of rows stepped together, with attention
/// mask 0 over the padding and per-row MRoPE positions. When the loop feeds a set of rows that is not exactly one
/// group, the rows are copied into a new group first (a reshape: the price of the concatenated layout); while the
/// set stays the same, the cache passes from one call to the next as ONNX Runtime's outputs, without copies.
/// </summary>
internal sealed class LegacyDecodeBatch : IDecodeBatch
{
    private readonly ModelSessions _sessions;
    private readonly int _vocab;
    private readonly int _contextLength;
    private readonly HashSet<DecodeRow> _rows = new(ReferenceEqualityComparer.Instance);
    private long _reshapes;
    private long _reshapeTicks;

    public LegacyDecodeBatch(ModelSessions sessions, int maxRows, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        _sessions = sessions;
        _vocab = sessions.Package.Config.Text.VocabSize;
        MaxRows = maxRows;
        _contextLength = contextLength;
    }

    public int MaxRows { get; }

    public int Count => _rows.Count;

    public long KvBytes => Groups.Sum(g => g.Kv.SizeInBytes);

    /// <summary>Rebuilds of a group (KV copies) since creation, and the time they took.</summary>
    public (long Count, double Milliseconds) Reshapes =>
        (Interlocked.Read(ref _reshapes), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _reshapeTicks)).TotalMilliseconds);

    private IEnumerable<KvGroup> Groups => _rows.Select(GroupOf).Distinct();

    public DecodeRow Join(PreparedPrompt prompt, KvCache? prefix)
    {
        try
        {
            if (_rows.Count >= MaxRows) throw new InvalidOperationException($"the batch holds its {MaxRows} rows already");
            if (prefix is not null && prefix.Length >= prompt.Ids.Length)
                throw new ArgumentException($"a reused prefix of {prefix.Length} tokens leaves nothing of the {prompt.Ids.Length}-token prompt to prefill");
        }
        catch
        {
            prefix?.Dispose();
            throw;
        }
        // Room for the whole context: the answer tracker stops before it, whatever the request asked for.
        var row = new DecodeRow(prompt, Math.Max(_contextLength, prompt.Ids.Length + 1));
        var kv = prefix ?? _sessions.Decoder.CreateEmptyCache();
        row.AdvancePrompt(kv.Length);
        row.Storage = new KvGroup([row], kv);
        _rows.Add(row);
        return row;
    }

    public bool Prefill(DecodeRow row, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        var group = GroupOf(row);
        if (row.IsPrefilled) throw new InvalidOperationException("the row's prompt is already in");
        var prompt = row.Prompt;
        var config = _sessions.Package.Config;
        int start = row.Length, total = prompt.Ids.Length;
        int n = Math.Min(maxTokens, total - start), h = config.Text.HiddenSize, k = config.Vision.DeepstackCount;

        var newIds = new long[n];
        for (int i = 0; i < n; i++) newIds[i] = prompt.Ids[start + i];
        using var embeds = _sessions.Embedder.Embed(newIds, 1, n);
        var deepstack = new float[(long)k * n * h];
        PromptChunkFeatures.Scatter(prompt.Ids, prompt.Images, config.Tokens.ImagePad,
            embeds.GetTensorMutableDataAsSpan<float>(), deepstack, start, n, h, k);
        var positions = new long[3 * n];
        for (int axis = 0; axis < 3; axis++)
            Array.Copy(prompt.Positions.Values, axis * total + start, positions, axis * n, n);
        var mask = new long[start + n];
        Array.Fill(mask, 1L);

        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, start + n]);
        using var positionValue = OrtValue.CreateTensorValueFromMemory(positions, [3, 1, n]);
        using var deepValue = OrtValue.CreateTensorValueFromMemory(deepstack, [k, 1, n, h]);
        group.SetLogits(_sessions.Decoder.Run(embeds, maskValue, positionValue, deepValue, group.Kv, n));
        row.AdvancePrompt(n);
        return row.IsPrefilled;
    }

    public void Step(IReadOnlyList<(DecodeRow Row, int Token)> feeds)
    {
        if (feeds.Count == 0) throw new ArgumentException("nothing to step", nameof(feeds));
        var rows = feeds.Select(f => f.Row).ToList();
        foreach (var row in rows)
        {
            if (!_rows.Contains(row)) throw new ArgumentException("a row is not in this batch", nameof(feeds));
            if (!row.IsPrefilled) throw new InvalidOperationException("a row's prompt is not prefilled yet");
        }
        var group = GroupOf(rows[0]);
        if (!group.HoldsExactly(rows)) group = Regroup(rows);

        var tokens = new Dictionary<DecodeRow, int>(ReferenceEqualityComparer.Instance);
        foreach (var (row, token) in feeds) tokens.Add(row, token);
        var config = _sessions.Package.Config;
        int b = group.Layout.Count, t = group.Width, h = config.Text.HiddenSize, k = config.Vision.DeepstackCount;
        var ids = new long[b];
        var mask = new long[b * (t + 1)];
        var positions = new long[3 * b];
        for (int r = 0; r < b; r++)
        {
            var row = group.Layout[r];
            ids[r] = tokens[row];
            int pad = t - row.Length;
            mask.AsSpan(r * (t + 1) + pad, row.Length + 1).Fill(1);
            // The new token sits at index Length of its own sequence, whatever the padding before it.
            long position = row.Length + row.RopeDelta;
            positions[r] = positions[b + r] = positions[2 * b + r] = position;
        }
        using var embeds = _sessions.Embedder.Embed(ids, b, 1);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [b, t + 1]);
        using var positionValue = OrtValue.CreateTensorValueFromMemory(positions, [3, b, 1]);
        using var deepstack = OrtValue.CreateTensorValueFromMemory(new float[k * b * h], [k, b, 1, h]);
        group.SetLogits(_sessions.Decoder.Run(embeds, maskValue, positionValue, deepstack, group.Kv, 1));
        foreach (var row in group.Layout) row.Fed(tokens[row]);
    }

    public Span<float> Logits(DecodeRow row)
    {
        var group = GroupOf(row);
        var logits = group.Logits ?? throw new InvalidOperationException("no decoder call has run for this row since its group changed");
        return logits.GetTensorMutableDataAsSpan<float>().Slice(group.IndexOf(row) * _vocab, _vocab);
    }

    public KvCache CopyKv(DecodeRow row)
    {
        var group = GroupOf(row);
        return group.Kv.CopyPrefix(row.Length, group.IndexOf(row), group.PadOf(row));
    }

    public void Leave(DecodeRow row)
    {
        var group = GroupOf(row);
        _rows.Remove(row);
        row.Storage = null;
        group.Depart(row);
        if (group.LiveCount == 0) group.Dispose();
    }

    public void Dispose()
    {
        foreach (var group in Groups.ToList()) group.Dispose();
        foreach (var row in _rows) row.Storage = null;
        _rows.Clear();
    }

    private KvGroup GroupOf(DecodeRow row) =>
        _rows.Contains(row) && row.Storage is KvGroup group ? group : throw new ArgumentException("the row is not in this batch", nameof(row));

    /// <summary>
    /// Copies <paramref name="rows"/> into a new left-padded group (in that order) and takes them out of the groups
    /// they were in; a group left without live rows is freed. Builds the new cache before touching the old ones, so
    /// a failed copy leaves the batch as it was.
    /// </summary>
    private KvGroup Regroup(List<DecodeRow> rows)
    {
        var start = Stopwatch.GetTimestamp();
        var sources = rows.Select(GroupOf).ToList();
        int width = rows.Max(r => r.Length);
        var template = sources[0].Kv.Values;
        var values = new OrtValue[template.Count];
        try
        {
            for (int t = 0; t < values.Length; t++)
            {
                var (_, heads, _, headDim) = KvTensors.Shape(template[t]);
                values[t] = KvTensors.Allocate(rows.Count, heads, width, headDim);
                for (int r = 0; r < rows.Count; r++)
                {
                    var row = rows[r];
                    var source = sources[r];
                    int pad = width - row.Length;
                    KvTensors.ClearPositions(values[t], r, 0, pad);
                    KvTensors.CopyPositions(source.Kv.Values[t], source.IndexOf(row), source.PadOf(row), values[t], r, pad, row.Length);
                }
            }
        }
        catch
        {
            foreach (var value in values) value?.Dispose();
            throw;
        }
        var group = new KvGroup(rows, KvCache.Adopt(values, width));
        for (int r = 0; r < rows.Count; r++)
        {
            sources[r].Depart(rows[r]);
            rows[r].Storage = group;
        }
        foreach (var source in sources.Distinct())
            if (source.LiveCount == 0) source.Dispose();
        Interlocked.Increment(ref _reshapes);
        Interlocked.Add(ref _reshapeTicks, Stopwatch.GetTimestamp() - start);
        return group;
    }
}
