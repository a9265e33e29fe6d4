using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// <see cref="IDecodeBatch"/> over the fused decoder (docs/fused-package.md): every row owns one slot of a
/// <see cref="KvPool"/> (KV preallocated per row, written in place by the decoder), prompts are prefilled in chunks,
/// and a step runs the fed rows together over the pool's first B slots. Slots stay contiguous: a leaving row's slot
/// gets the last row, and a step whose rows are not the leading slots first swaps them there. Logits live in one
/// preallocated buffer [MaxRows, V] that the decoder writes into. Decode steps allocate nothing but OrtValue handles.
/// </summary>
internal sealed class KvPoolDecodeBatch : IDecodeBatch
{
    private readonly ModelSessions _sessions;
    private readonly KvPool _pool;
    private readonly MropeRotary _rope;
    private readonly DecodeRow?[] _rows; // by slot; slots 0…Count−1 are held
    private readonly int _vocab, _hidden, _deepstack, _imagePad, _prefillChunk;
    private readonly float[] _logits;
    private readonly int[] _seqlens;
    private readonly int[] _total = new int[1];
    // Decode step inputs, one entry per slot.
    private readonly long[] _stepIds;
    private readonly float[] _stepEmbeds, _stepCos, _stepSin, _zeroDeepstack;
    private readonly bool[] _fed;
    // Prefill chunk inputs, sized to the chunk.
    private readonly long[] _chunkIds;
    private readonly float[] _chunkEmbeds, _chunkDeepstack, _chunkCos, _chunkSin;

    /// <param name="capacityTokens">C: tokens one row holds (prompt + answer).</param>
    /// <param name="prefillChunkTokens">Most prompt tokens one prefill call runs.</param>
    public KvPoolDecodeBatch(ModelSessions sessions, int maxRows, int capacityTokens, int prefillChunkTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefillChunkTokens);
        _sessions = sessions;
        _ = sessions.FusedDecoder; // fails now, with its message, when the sessions run the legacy decoder
        var config = sessions.Package.Config;
        var text = config.Text;
        (_vocab, _hidden, _deepstack, _imagePad) = (text.VocabSize, text.HiddenSize, config.Vision.DeepstackCount, config.Tokens.ImagePad);
        _prefillChunk = Math.Min(prefillChunkTokens, capacityTokens);
        _rope = new MropeRotary(text);
        _pool = new KvPool(text.NumLayers, maxRows, text.NumKeyValueHeads, capacityTokens, text.HeadDim);
        _rows = new DecodeRow?[maxRows];
        _logits = new float[(long)maxRows * _vocab];
        _seqlens = new int[maxRows];
        _stepIds = new long[maxRows];
        _stepEmbeds = new float[maxRows * _hidden];
        _stepCos = new float[maxRows * _rope.Half];
        _stepSin = new float[maxRows * _rope.Half];
        _zeroDeepstack = new float[_deepstack * maxRows * _hidden];
        _fed = new bool[maxRows];
        _chunkIds = new long[_prefillChunk];
        _chunkEmbeds = new float[_prefillChunk * _hidden];
        _chunkDeepstack = new float[(long)_deepstack * _prefillChunk * _hidden];
        _chunkCos = new float[_prefillChunk * _rope.Half];
        _chunkSin = new float[_prefillChunk * _rope.Half];
    }

    /// <summary>
    /// The batch a model loaded with <paramref name="options"/> uses: MaxBatchSize rows of
    /// KvCapacityTokens (0 = <paramref name="contextTokens"/>, and never more) tokens, PrefillChunkTokens per call.
    /// </summary>
    public static KvPoolDecodeBatch FromOptions(ModelSessions sessions, ModelLoadOptions options, int contextTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextTokens);
        if (options.KvCapacityTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"KvCapacityTokens {options.KvCapacityTokens} < 0");
        int capacity = options.KvCapacityTokens > 0 ? Math.Min(options.KvCapacityTokens, contextTokens) : contextTokens;
        return new KvPoolDecodeBatch(sessions, Math.Max(1, options.MaxBatchSize), capacity, options.PrefillChunkTokens);
    }

    public int MaxRows => _pool.MaxRows;

    public int Count { get; private set; }

    /// <summary>C: tokens one row holds.</summary>
    public int Capacity => _pool.Capacity;

    /// <summary>Bytes of the KV positions the rows hold (the memory they touched, up to page rounding).</summary>
    public long KvBytes
    {
        get
        {
            long positions = 0;
            for (int slot = 0; slot < Count; slot++) positions += _rows[slot]!.Length;
            return positions * _pool.BytesPerPosition;
        }
    }

    public DecodeRow Join(PreparedPrompt prompt, KvCache? prefix)
    {
        try
        {
            if (Count == MaxRows) throw new InvalidOperationException($"the batch is full ({MaxRows} rows)");
            int s = prompt.Ids.Length;
            if (s > Capacity)
                throw new InvalidPromptException($"the prompt has {s} tokens; a batch row holds at most {Capacity} (ModelLoadOptions.KvCapacityTokens)");
            if (prompt.Positions.SequenceLength != s)
                throw new ArgumentException($"the prompt has {s} ids but {prompt.Positions.SequenceLength} positions", nameof(prompt));
            if (prefix is not null && prefix.Length >= s)
                throw new ArgumentException($"a reused prefix of {prefix.Length} tokens leaves nothing of the {s}-token prompt to prefill", nameof(prefix));
            int slot = Count;
            var row = new DecodeRow(prompt, Capacity);
            if (prefix is not null)
            {
                _pool.CopyIn(prefix, slot);
                row.AdvancePrompt(prefix.Length);
            }
            row.Storage = new Slot(slot);
            _rows[slot] = row;
            Count++;
            return row;
        }
        finally
        {
            prefix?.Dispose();
        }
    }

    public bool Prefill(DecodeRow row, int maxTokens)
    {
        int slot = SlotOf(row);
        if (row.IsPrefilled) throw new InvalidOperationException("the row's prompt is already prefilled");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        var prompt = row.Prompt;
        int start = row.Length, n = Math.Min(Math.Min(maxTokens, _prefillChunk), prompt.Ids.Length - start);
        int h = _hidden, k = _deepstack;

        for (int i = 0; i < n; i++) _chunkIds[i] = prompt.Ids[start + i];
        _sessions.Embedder.EmbedInto(_chunkIds, 1, n, _chunkEmbeds, h);
        var deepstack = _chunkDeepstack.AsSpan(0, k * n * h);
        deepstack.Clear();
        PromptChunkFeatures.Scatter(prompt.Ids, prompt.Images, _imagePad, _chunkEmbeds.AsSpan(0, n * h), deepstack, start, n, h, k);
        _rope.Prompt(prompt.Positions, start, n, _chunkCos, _chunkSin);
        _seqlens[0] = start + n - 1;
        _total[0] = start + n;

        var memory = OrtMemoryInfo.DefaultInstance;
        int half = _rope.Half;
        using var embeds = OrtValue.CreateTensorValueFromMemory(memory, _chunkEmbeds.AsMemory(0, n * h), [1, n, h]);
        using var deep = OrtValue.CreateTensorValueFromMemory(memory, _chunkDeepstack.AsMemory(0, k * n * h), [k, 1, n, h]);
        using var cos = OrtValue.CreateTensorValueFromMemory(memory, _chunkCos.AsMemory(0, n * half), [1, n, half]);
        using var sin = OrtValue.CreateTensorValueFromMemory(memory, _chunkSin.AsMemory(0, n * half), [1, n, half]);
        RunDecoder(embeds, deep, cos, sin, 1, _pool.Row(slot), slot);
        row.AdvancePrompt(n);
        return row.IsPrefilled;
    }

    public void Step(IReadOnlyList<(DecodeRow Row, int Token)> feeds)
    {
        int b = feeds.Count;
        if (b == 0) throw new ArgumentException("a step needs at least one row", nameof(feeds));
        Array.Clear(_fed);
        foreach (var (row, _) in feeds)
        {
            int slot = SlotOf(row);
            if (_fed[slot]) throw new ArgumentException("a row is fed twice in one step", nameof(feeds));
            if (!row.IsPrefilled) throw new InvalidOperationException("a fed row's prompt is not prefilled yet");
            if (row.Length >= row.Capacity) throw new InvalidOperationException($"a fed row is full ({row.Capacity} tokens)");
            _fed[slot] = true;
        }
        GatherFedRowsFirst(b);

        int total = 0;
        foreach (var (row, token) in feeds)
        {
            int slot = ((Slot)row.Storage!).Index;
            _stepIds[slot] = token;
            // The new token sits at absolute index Length of its own sequence.
            _rope.Decode(row.Length + row.RopeDelta, slot, _stepCos, _stepSin);
            _seqlens[slot] = row.Length;
            total = Math.Max(total, row.Length + 1);
        }
        _total[0] = total;
        _sessions.Embedder.EmbedInto(_stepIds, b, 1, _stepEmbeds, _hidden);

        var memory = OrtMemoryInfo.DefaultInstance;
        int h = _hidden, k = _deepstack, half = _rope.Half;
        using var embeds = OrtValue.CreateTensorValueFromMemory(memory, _stepEmbeds.AsMemory(0, b * h), [b, 1, h]);
        using var deep = OrtValue.CreateTensorValueFromMemory(memory, _zeroDeepstack.AsMemory(0, k * b * h), [k, b, 1, h]);
        using var cos = OrtValue.CreateTensorValueFromMemory(memory, _stepCos.AsMemory(0, b * half), [b, 1, half]);
        using var sin = OrtValue.CreateTensorValueFromMemory(memory, _stepSin.AsMemory(0, b * half), [b, 1, half]);
        RunDecoder(embeds, deep, cos, sin, b, _pool.LeadingRows(b), 0);
        foreach (var (row, token) in feeds) row.Fed(token);
    }

    public Span<float> Logits(DecodeRow row) => _logits.AsSpan(SlotOf(row) * _vocab, _vocab);

    public KvCache CopyKv(DecodeRow row) => _pool.CopyOut(SlotOf(row), row.Length);

    public void Leave(DecodeRow row)
    {
        int slot = SlotOf(row);
        int last = Count - 1;
        if (slot != last)
        {
            MoveSlot(last, slot);
            _pool.ReleaseFrom(slot, _rows[slot]!.Length); // the leaving row's positions beyond the moved row's
        }
        _rows[last] = null;
        _pool.Release(last);
        row.Storage = null;
        Count--;
    }

    /// <summary>Runs the decoder over <paramref name="rows"/> rows whose KV views are <paramref name="kv"/>; their logits go to slots firstSlot….</summary>
    private void RunDecoder(OrtValue embeds, OrtValue deep, OrtValue cos, OrtValue sin, int rows, IReadOnlyList<OrtValue> kv, int firstSlot)
    {
        var memory = OrtMemoryInfo.DefaultInstance;
        using var seqlens = OrtValue.CreateTensorValueFromMemory(memory, _seqlens.AsMemory(0, rows), [rows]);
        using var total = OrtValue.CreateTensorValueFromMemory(memory, _total.AsMemory(), []);
        using var logits = OrtValue.CreateTensorValueFromMemory(memory, _logits.AsMemory(firstSlot * _vocab, rows * _vocab), [rows, _vocab]);
        _sessions.FusedDecoder.Run(embeds, deep, cos, sin, seqlens, total, kv, logits);
    }

    /// <summary>Swaps rows so that the <paramref name="count"/> fed ones (<see cref="_fed"/>) hold slots 0…count−1.</summary>
    private void GatherFedRowsFirst(int count)
    {
        int free = 0; // next leading slot that holds an unfed row
        for (int slot = count; slot < Count; slot++)
        {
            if (!_fed[slot]) continue;
            while (_fed[free]) free++;
            SwapSlots(slot, free);
        }
    }

    private void SwapSlots(int a, int b)
    {
        var rowA = _rows[a]!;
        var rowB = _rows[b]!;
        _pool.Swap(a, b, Math.Max(rowA.Length, rowB.Length));
        var scratch = _logits.AsSpan(a * _vocab, _vocab).ToArray();
        _logits.AsSpan(b * _vocab, _vocab).CopyTo(_logits.AsSpan(a * _vocab, _vocab));
        scratch.CopyTo(_logits.AsSpan(b * _vocab, _vocab));
        (_rows[a], _rows[b]) = (rowB, rowA);
        ((Slot)rowA.Storage!).Index = b;
        ((Slot)rowB.Storage!).Index = a;
        (_fed[a], _fed[b]) = (_fed[b], _fed[a]);
    }

    private void MoveSlot(int from, int to)
    {
        var row = _rows[from]!;
        _pool.Move(from, to, row.Length);
        _logits.AsSpan(from * _vocab, _vocab).CopyTo(_logits.AsSpan(to * _vocab, _vocab));
        _rows[to] = row;
        ((Slot)row.Storage!).Index = to;
    }

    private int SlotOf(DecodeRow row)
    {
        if (row.Storage is not Slot slot || slot.Index >= Count || !ReferenceEquals(_rows[slot.Index], row))
            throw new ArgumentException("the row is not in this batch", nameof(row));
        return slot.Index;
    }

    public void Dispose() => _pool.Dispose();

    /// <summary>A row's place in the pool (changes when rows are compacted or gathered for a step).</summary>
    private sealed class Slot(int index)
    {
        public int Index { get; set; } = index;
    }
}
