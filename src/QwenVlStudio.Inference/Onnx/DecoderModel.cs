using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>onnx/decoder_model_merged.onnx: prefill and KV-cached decode, logits of the last position (§6).</summary>
internal sealed class DecoderModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly TextModelConfig _text;

    public DecoderModel(ModelPackage package, int threads, bool allowSpinning)
    {
        _text = package.Config.Text;
        int layers = _text.NumLayers;
        var inputs = new List<GraphContract.Port>
        {
            new("inputs_embeds", TensorElementType.Float, 3),
            new("attention_mask", TensorElementType.Int64, 2),
            new("position_ids", TensorElementType.Int64, 3),
            new("deepstack_embeds", TensorElementType.Float, 4),
        };
        var outputs = new List<GraphContract.Port> { new("logits", TensorElementType.Float, 2) };
        for (int i = 0; i < layers; i++)
        {
            inputs.Add(new($"past_key_values.{i}.key", TensorElementType.Float, 4));
            inputs.Add(new($"past_key_values.{i}.value", TensorElementType.Float, 4));
            outputs.Add(new($"present.{i}.key", TensorElementType.Float, 4));
            outputs.Add(new($"present.{i}.value", TensorElementType.Float, 4));
        }
        _inputNames = inputs.Select(p => p.Name).ToArray();
        _outputNames = outputs.Select(p => p.Name).ToArray();

        IntraOpThreads = threads;
        _session = OnnxSessions.Create(package.GraphPath(ModelPackage.DecoderGraph), threads, allowSpinning);
        try
        {
            GraphContract.Require(_session, ModelPackage.DecoderGraph, inputs, outputs);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public KvCache CreateEmptyCache(int batch = 1) =>
        KvCache.Empty(_text.NumLayers, batch, _text.NumKeyValueHeads, _text.HeadDim);

    /// <summary>
    /// Runs S new tokens against the cache; the cache takes the presents and the logits [B, V] are returned
    /// (owned by the caller).
    /// </summary>
    public OrtValue Run(OrtValue inputsEmbeds, OrtValue attentionMask, OrtValue positionIds, OrtValue deepstackEmbeds,
        KvCache cache, int newTokens)
    {
        var inputs = new OrtValue[_inputNames.Length];
        inputs[0] = inputsEmbeds;
        inputs[1] = attentionMask;
        inputs[2] = positionIds;
        inputs[3] = deepstackEmbeds;
        for (int i = 0; i < cache.Values.Count; i++) inputs[4 + i] = cache.Values[i];

        using var runOptions = new RunOptions();
        var outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
        var presents = new OrtValue[outputs.Count - 1];
        for (int i = 1; i < outputs.Count; i++) presents[i - 1] = outputs[i];
        cache.Replace(presents, cache.Length + newTokens);
        return outputs[0];
    }

    /// <summary>The intra-op thread count this session was created with (0 = ONNX Runtime's choice).</summary>
    public int IntraOpThreads { get; }

    public void Dispose() => _session.Dispose();
}
