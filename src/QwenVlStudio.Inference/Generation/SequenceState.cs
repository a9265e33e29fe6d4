using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// One sequence on the decoder: prefill of the expanded prompt with image and DeepStack features scattered in
/// (model-package.md §7), then one token per step against its KV cache. Logits stay in ONNX Runtime's output
/// buffer; the caller reads or edits them in place until the next step.
/// </summary>
internal sealed class SequenceState : IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly KvCache _cache;
    private readonly long[] _attentionOnes;
    private readonly float[] _zeroDeepstack;
    private readonly long[] _stepId = new long[1];
    private readonly long[] _stepPosition = new long[3];
    private OrtValue? _logits;
    private int _ropeDelta;

    public SequenceState(ModelSessions sessions, int capacity)
    {
        _sessions = sessions;
        var config = sessions.Package.Config;
        _cache = sessions.Decoder.CreateEmptyCache();
        _attentionOnes = new long[capacity];
        Array.Fill(_attentionOnes, 1L);
        _zeroDeepstack = new float[config.Vision.DeepstackCount * config.Text.HiddenSize];
    }

    /// <summary>Tokens in the KV cache.</summary>
    public int Length => _cache.Length;

    public Span<float> Logits => _logits is null ? Span<float>.Empty : _logits.GetTensorMutableDataAsSpan<float>();

    public void Prefill(int[] ids, IReadOnlyList<VisionFeatures> images, MropePositions positions)
    {
        var config = _sessions.Package.Config;
        int s = ids.Length, h = config.Text.HiddenSize, k = config.Vision.DeepstackCount;
        if (s > _attentionOnes.Length)
            throw new InvalidPromptException($"the prompt has {s} tokens; this sequence holds at most {_attentionOnes.Length}");

        var idsLong = Array.ConvertAll(ids, i => (long)i);
        using var embeds = _sessions.Embedder.Embed(idsLong, 1, s);
        var deepstack = new float[(long)k * s * h];
        ScatterImageFeatures(ids, images, config.Tokens.ImagePad, embeds.GetTensorMutableDataAsSpan<float>(), deepstack, s, h, k);

        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _attentionOnes.AsMemory(0, s), [1, s]);
        using var pos = OrtValue.CreateTensorValueFromMemory(positions.Values, [3, 1, s]);
        using var deep = OrtValue.CreateTensorValueFromMemory(deepstack, [k, 1, s, h]);
        SetLogits(_sessions.Decoder.Run(embeds, mask, pos, deep, _cache, s));
        _ropeDelta = positions.RopeDelta;
    }

    /// <summary>Feeds the token chosen for absolute index <see cref="Length"/> and computes the next logits.</summary>
    public void Step(int token)
    {
        var config = _sessions.Package.Config;
        int n = _cache.Length;
        if (n + 1 > _attentionOnes.Length)
            throw new InvalidOperationException("the sequence is full");
        _stepId[0] = token;
        using var embeds = _sessions.Embedder.Embed(_stepId, 1, 1);
        long position = n + _ropeDelta;
        _stepPosition[0] = _stepPosition[1] = _stepPosition[2] = position;
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _attentionOnes.AsMemory(0, n + 1), [1, n + 1]);
        using var pos = OrtValue.CreateTensorValueFromMemory(_stepPosition, [3, 1, 1]);
        using var deep = OrtValue.CreateTensorValueFromMemory(_zeroDeepstack, [config.Vision.DeepstackCount, 1, 1, config.Text.HiddenSize]);
        SetLogits(_sessions.Decoder.Run(embeds, mask, pos, deep, _cache, 1));
    }

    /// <summary>Image i's features fill the i-th run of image-pad tokens; DeepStack rows go to the same positions.</summary>
    internal static void ScatterImageFeatures(ReadOnlySpan<int> ids, IReadOnlyList<VisionFeatures> images, int imagePad,
        Span<float> embeds, Span<float> deepstack, int s, int h, int k)
    {
        int image = 0, row = 0;
        for (int i = 0; i < s; i++)
        {
            if (ids[i] != imagePad) continue;
            if (image >= images.Count)
                throw new InvalidPromptException("the prompt has more image tokens than the images' features");
            var f = images[image];
            f.ImageFeatures.AsSpan(row * h, h).CopyTo(embeds.Slice(i * h, h));
            for (int level = 0; level < k; level++)
                f.DeepstackFeatures.AsSpan((level * f.TokenCount + row) * h, h).CopyTo(deepstack.Slice((level * s + i) * h, h));
            if (++row == f.TokenCount)
            {
                row = 0;
                image++;
            }
        }
        if (image != images.Count || row != 0)
            throw new InvalidPromptException($"the prompt's image tokens do not match the {images.Count} images' token counts");
    }

    private void SetLogits(OrtValue logits)
    {
        _logits?.Dispose();
        _logits = logits;
    }

    public void Dispose()
    {
        _logits?.Dispose();
        _cache.Dispose();
    }
}
