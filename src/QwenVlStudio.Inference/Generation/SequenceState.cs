using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// One sequence on the decoder: prefill of the expanded prompt with image and DeepStack features scattered in
/// (model-package.md §7), optionally on top of a reused KV prefix, then one token per step against its KV cache.
/// Logits stay in ONNX Runtime's output buffer; the caller reads or edits them in place until the next step.
/// </summary>
internal sealed class SequenceState : IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly long[] _attentionOnes;
    private readonly int[] _ids;
    private readonly float[] _zeroDeepstack;
    private readonly long[] _stepId = new long[1];
    private readonly long[] _stepPosition = new long[3];
    private KvCache? _cache;
    private OrtValue? _logits;
    private int _ropeDelta;

    public SequenceState(ModelSessions sessions, int capacity)
    {
        _sessions = sessions;
        var config = sessions.Package.Config;
        _cache = sessions.Decoder.CreateEmptyCache();
        _attentionOnes = new long[capacity];
        Array.Fill(_attentionOnes, 1L);
        _ids = new int[capacity];
        _zeroDeepstack = new float[config.Vision.DeepstackCount * config.Text.HiddenSize];
    }

    /// <summary>Tokens in the KV cache.</summary>
    public int Length => Cache.Length;

    /// <summary>The tokens whose keys and values the cache holds, in order.</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Length);

    /// <summary>MRoPE rope delta of the prompt: decode positions are index + delta.</summary>
    public int RopeDelta => _ropeDelta;

    public Span<float> Logits => _logits is null ? Span<float>.Empty : _logits.GetTensorMutableDataAsSpan<float>();

    private KvCache Cache => _cache ?? throw new InvalidOperationException("the sequence's cache was handed over");

    /// <summary>
    /// Prefills the prompt. With <paramref name="prefix"/> (a cache of the prompt's first P tokens, owned from now
    /// on) only tokens P… run through the decoder, at the positions a full prefill gives them.
    /// </summary>
    public void Prefill(int[] ids, IReadOnlyList<VisionFeatures> images, MropePositions positions, KvCache? prefix = null)
    {
        var config = _sessions.Package.Config;
        int s = ids.Length, h = config.Text.HiddenSize, k = config.Vision.DeepstackCount;
        if (s > _attentionOnes.Length)
        {
            prefix?.Dispose();
            throw new InvalidPromptException($"the prompt has {s} tokens; this sequence holds at most {_attentionOnes.Length}");
        }
        if (prefix is not null)
        {
            if (prefix.Length >= s)
            {
                prefix.Dispose();
                throw new ArgumentException($"a reused prefix of {prefix.Length} tokens leaves nothing of the {s}-token prompt to prefill");
            }
            _cache?.Dispose();
            _cache = prefix;
        }
        int start = Cache.Length;
        int fresh = s - start;

        var newIds = new long[fresh];
        for (int i = 0; i < fresh; i++) newIds[i] = ids[start + i];
        using var embeds = _sessions.Embedder.Embed(newIds, 1, fresh);
        var deepstack = new float[(long)k * fresh * h];
        PromptChunkFeatures.Scatter(ids, images, config.Tokens.ImagePad, embeds.GetTensorMutableDataAsSpan<float>(), deepstack, start, ids.Length - start, h, k);

        var newPositions = new long[3 * fresh];
        for (int axis = 0; axis < 3; axis++)
            Array.Copy(positions.Values, axis * s + start, newPositions, axis * fresh, fresh);

        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _attentionOnes.AsMemory(0, s), [1, s]);
        using var pos = OrtValue.CreateTensorValueFromMemory(newPositions, [3, 1, fresh]);
        using var deep = OrtValue.CreateTensorValueFromMemory(deepstack, [k, 1, fresh, h]);
        SetLogits(_sessions.Decoder.Run(embeds, mask, pos, deep, Cache, fresh));
        ids.CopyTo(_ids, 0);
        _ropeDelta = positions.RopeDelta;
    }

    /// <summary>Feeds the token chosen for absolute index <see cref="Length"/> and computes the next logits.</summary>
    public void Step(int token)
    {
        var config = _sessions.Package.Config;
        int n = Cache.Length;
        if (n + 1 > _attentionOnes.Length)
            throw new InvalidOperationException("the sequence is full");
        _stepId[0] = token;
        using var embeds = _sessions.Embedder.Embed(_stepId, 1, 1);
        long position = n + _ropeDelta;
        _stepPosition[0] = _stepPosition[1] = _stepPosition[2] = position;
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _attentionOnes.AsMemory(0, n + 1), [1, n + 1]);
        using var pos = OrtValue.CreateTensorValueFromMemory(_stepPosition, [3, 1, 1]);
        using var deep = OrtValue.CreateTensorValueFromMemory(_zeroDeepstack, [config.Vision.DeepstackCount, 1, 1, config.Text.HiddenSize]);
        SetLogits(_sessions.Decoder.Run(embeds, mask, pos, deep, Cache, 1));
        _ids[n] = token;
    }

    /// <summary>Hands the KV cache to the caller (for the prefix cache); the sequence cannot step afterwards.</summary>
    public KvCache DetachCache()
    {
        var cache = Cache;
        _cache = null;
        return cache;
    }

    private void SetLogits(OrtValue logits)
    {
        _logits?.Dispose();
        _logits = logits;
    }

    public void Dispose()
    {
        _logits?.Dispose();
        _cache?.Dispose();
        _cache = null;
    }
}
