using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>One fused decoder graph's session, checked against the contract, with its reused IOBinding.</summary>
internal sealed class FusedDecoderSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _pastNames;
    private readonly string[] _presentNames;

    public FusedDecoderSession(ModelPackage package, string graph, int threads, bool allowSpinning)
    {
        var config = package.Config;
        var text = config.Text;
        int layers = text.NumLayers;
        var inputs = new List<GraphContract.Port>
        {
            new("inputs_embeds", TensorElementType.Float, 3),
            new("deepstack_embeds", TensorElementType.Float, 4),
            new("rope_cos", TensorElementType.Float, 3),
            new("rope_sin", TensorElementType.Float, 3),
            new("seqlens_k", TensorElementType.Int32, 1),
            new("total_sequence_length", TensorElementType.Int32, 0),
        };
        var outputs = new List<GraphContract.Port> { new("logits", TensorElementType.Float, 2) };
        _pastNames = new string[2 * layers];
        _presentNames = new string[2 * layers];
        for (int i = 0; i < layers; i++)
        {
            (_pastNames[2 * i], _pastNames[2 * i + 1]) = ($"past_key.{i}", $"past_value.{i}");
            (_presentNames[2 * i], _presentNames[2 * i + 1]) = ($"present_key.{i}", $"present_value.{i}");
            inputs.Add(new(_pastNames[2 * i], TensorElementType.Float, 4));
            inputs.Add(new(_pastNames[2 * i + 1], TensorElementType.Float, 4));
        }
        foreach (var name in _presentNames) outputs.Add(new(name, TensorElementType.Float, 4));

        _session = OnnxSessions.Create(package.GraphPath(graph), threads, allowSpinning);
        try
        {
            GraphContract.Require(_session, graph, inputs, outputs);
            int h = text.HiddenSize, k = config.Vision.DeepstackCount, kv = text.NumKeyValueHeads, hd = text.HeadDim;
            RequireDims(graph, _session.InputMetadata, "inputs_embeds", [-1, -1, h]);
            RequireDims(graph, _session.InputMetadata, "deepstack_embeds", [k, -1, -1, h]);
            RequireDims(graph, _session.InputMetadata, "rope_cos", [-1, -1, hd / 2]);
            RequireDims(graph, _session.InputMetadata, "rope_sin", [-1, -1, hd / 2]);
            foreach (var name in _pastNames) RequireDims(graph, _session.InputMetadata, name, [-1, kv, -1, hd]);
            foreach (var name in _presentNames) RequireDims(graph, _session.OutputMetadata, name, [-1, kv, -1, hd]);
            RequireDims(graph, _session.OutputMetadata, "logits", [-1, text.VocabSize]);
            _binding = _session.CreateIoBinding();
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    public void Run(OrtValue inputsEmbeds, OrtValue deepstackEmbeds, OrtValue ropeCos, OrtValue ropeSin,
        OrtValue seqlensK, OrtValue totalSequenceLength, IReadOnlyList<OrtValue> kv, OrtValue logits)
    {
        if (kv.Count != _pastNames.Length)
            throw new ArgumentException($"{kv.Count} KV tensors given; the decoder has {_pastNames.Length}", nameof(kv));
        _binding.ClearBoundInputs();
        _binding.ClearBoundOutputs();
        _binding.BindInput("inputs_embeds", inputsEmbeds);
        _binding.BindInput("deepstack_embeds", deepstackEmbeds);
        _binding.BindInput("rope_cos", ropeCos);
        _binding.BindInput("rope_sin", ropeSin);
        _binding.BindInput("seqlens_k", seqlensK);
        _binding.BindInput("total_sequence_length", totalSequenceLength);
        for (int t = 0; t < kv.Count; t++)
        {
            _binding.BindInput(_pastNames[t], kv[t]);
            _binding.BindOutput(_presentNames[t], kv[t]);
        }
        _binding.BindOutput("logits", logits);
        _session.RunWithBinding(_runOptions, _binding);
    }

    /// <summary>Fixed dimensions of the graph must equal the config's; -1 in <paramref name="expected"/> = any.</summary>
    private static void RequireDims(string graph, IReadOnlyDictionary<string, NodeMetadata> metadata, string name, int[] expected)
    {
        var actual = metadata[name].Dimensions;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] >= 0 && actual[i] >= 0 && actual[i] != expected[i])
                throw new ModelPackageException(
                    $"{graph}.onnx '{name}' has shape [{string.Join(", ", actual)}]; config.json needs dimension {i} = {expected[i]}");
    }

    public void Dispose()
    {
        _binding.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }
}
