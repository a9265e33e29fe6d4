using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>
/// An <see cref="IDecodeBatch"/> without a model, for the engine loop's scheduling: the "logits" of a row depend only
/// on its first prompt id (its tag) and its length, so a sequence's answer is the same however it is scheduled,
/// preempted or batched. Each call is logged ("prefill 3" / "step 1,2"), and while <see cref="Free"/> is false each
/// call waits for a permit, so a test can hold the loop thread at a known place.
/// </summary>
internal sealed class FakeDecodeBatch(int maxRows) : IDecodeBatch
{
    public const int Vocab = 16;
    private readonly HashSet<DecodeRow> _rows = [];
    private readonly SemaphoreSlim _permits = new(0);
    private volatile bool _free = true;

    public int MaxRows { get; } = maxRows;

    public int Count
    {
        get
        {
            lock (_rows) return _rows.Count;
        }
    }

    public long KvBytes => Count;

    public List<string> Calls { get; } = [];

    /// <summary>Prefix lengths the rows joined with (0 without one), in order.</summary>
    public List<int> JoinedWithPrefix { get; } = [];

    public bool Free
    {
        get => _free;
        set
        {
            _free = value;
            if (value) _permits.Release(1000);
        }
    }

    /// <summary>Lets <paramref name="calls"/> more decoder calls run while not <see cref="Free"/>.</summary>
    public void Allow(int calls = 1) => _permits.Release(calls);

    /// <summary>The token a row of tag <paramref name="tag"/> gets after holding <paramref name="length"/> tokens.</summary>
    public static int TokenAt(int tag, int length) => (tag * 5 + length * 3) % (Vocab - 1) + 1;

    public static PreparedPrompt Prompt(int tag, int length) =>
        new(Enumerable.Repeat(tag, length).ToArray(), [], MropePositions.Compute(Enumerable.Repeat(tag, length).ToArray(), [], -1, 2), 0);

    public DecodeRow Join(PreparedPrompt prompt, KvCache? prefix)
    {
        lock (_rows)
        {
            if (_rows.Count >= MaxRows) throw new InvalidOperationException("full");
            var row = new DecodeRow(prompt, prompt.Ids.Length + 10_000);
            row.AdvancePrompt(prefix?.Length ?? 0);
            JoinedWithPrefix.Add(prefix?.Length ?? 0);
            prefix?.Dispose();
            row.Storage = new float[Vocab];
            _rows.Add(row);
            return row;
        }
    }

    public bool Prefill(DecodeRow row, int maxTokens)
    {
        Gate();
        int n = Math.Min(maxTokens, row.Prompt.Ids.Length - row.Length);
        Log($"prefill {row.Prompt.Ids[0]} {n}");
        row.AdvancePrompt(n);
        SetLogits(row);
        return row.IsPrefilled;
    }

    public void Step(IReadOnlyList<(DecodeRow Row, int Token)> feeds)
    {
        Gate();
        Log("step " + string.Join(",", feeds.Select(f => f.Row.Prompt.Ids[0])));
        foreach (var (row, token) in feeds)
        {
            row.Fed(token);
            SetLogits(row);
        }
    }

    public Span<float> Logits(DecodeRow row) => (float[])row.Storage!;

    /// <summary>A stand-in KV: the right length, no tensors.</summary>
    public KvCache CopyKv(DecodeRow row) => KvCache.Adopt([], row.Length);

    public void Leave(DecodeRow row)
    {
        lock (_rows)
            if (!_rows.Remove(row)) throw new ArgumentException("not in the batch");
        Log($"leave {row.Prompt.Ids[0]}");
    }

    public List<string> CallsSnapshot()
    {
        lock (Calls) return [.. Calls];
    }

    public void Dispose() => Free = true;

    private void Gate()
    {
        if (!_free) _permits.Wait(TimeSpan.FromSeconds(20));
    }

    private void Log(string call)
    {
        lock (Calls) Calls.Add(call);
    }

    private static void SetLogits(DecodeRow row)
    {
        var logits = (float[])row.Storage!;
        Array.Clear(logits);
        logits[TokenAt(row.Prompt.Ids[0], row.Length)] = 1;
    }
}
