using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// The vision graph (onnx/vision_encoder.onnx, or onnx/vision_fused.onnx in fused packages; both have the §4 inputs
/// and outputs): one image's patches → merged image features and DeepStack features.
/// </summary>
internal sealed class VisionEncoder : IDisposable
{
    private static readonly string[] InputNames = ["pixel_values", "pos_embed_idx", "pos_embed_weight", "rotary_pos_ids"];
    private static readonly string[] OutputNames = ["image_features", "deepstack_features"];

    private readonly InferenceSession _session;
    private readonly ModelConfig _config;
    private readonly string _graph;

    public VisionEncoder(ModelPackage package, int threads, bool allowSpinning)
        : this(package, package.VisionGraphName, threads, allowSpinning)
    {
    }

    /// <param name="graph">Which vision graph of the package to load (<see cref="ModelPackage.VisionGraph"/> or <see cref="ModelPackage.FusedVisionGraph"/>).</param>
    public VisionEncoder(ModelPackage package, string graph, int threads, bool allowSpinning)
    {
        _config = package.Config;
        _graph = graph;
        IntraOpThreads = threads;
        _session = OnnxSessions.Create(package.GraphPath(graph), threads, allowSpinning);
        try
        {
            GraphContract.Require(_session, graph,
                [
                    new("pixel_values", TensorElementType.Float, 2), new("pos_embed_idx", TensorElementType.Int64, 2),
                    new("pos_embed_weight", TensorElementType.Float, 2), new("rotary_pos_ids", TensorElementType.Int64, 2),
                ],
                [new("image_features", TensorElementType.Float, 2), new("deepstack_features", TensorElementType.Float, 3)]);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <param name="pixelValues">[N, F] patch rows of one image.</param>
    /// <param name="posEmbedIdx">[4, N].</param>
    /// <param name="posEmbedWeight">[4, N].</param>
    /// <param name="rotaryPosIds">[N, 2].</param>
    public VisionFeatures Encode(float[] pixelValues, int numPatches, long[] posEmbedIdx, float[] posEmbedWeight, long[] rotaryPosIds)
    {
        int rowLength = _config.Vision.PatchRowLength;
        if (pixelValues.Length != (long)numPatches * rowLength)
            throw new ArgumentException($"pixel_values has {pixelValues.Length} floats, expected {numPatches}×{rowLength}");
        using var pixels = OrtValue.CreateTensorValueFromMemory(pixelValues, [numPatches, rowLength]);
        using var idx = OrtValue.CreateTensorValueFromMemory(posEmbedIdx, [4, numPatches]);
        using var weight = OrtValue.CreateTensorValueFromMemory(posEmbedWeight, [4, numPatches]);
        using var rotary = OrtValue.CreateTensorValueFromMemory(rotaryPosIds, [numPatches, 2]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [pixels, idx, weight, rotary], OutputNames);

        int merge = _config.Vision.SpatialMergeSize;
        int tokens = numPatches / (merge * merge);
        int hidden = _config.Text.HiddenSize;
        int k = _config.Vision.DeepstackCount;
        var features = outputs[0].GetTensorDataAsSpan<float>();
        var deepstack = outputs[1].GetTensorDataAsSpan<float>();
        if (features.Length != tokens * hidden || deepstack.Length != k * tokens * hidden)
            throw new ModelPackageException(
                $"{_graph}.onnx returned {features.Length} + {deepstack.Length} floats; expected [{tokens},{hidden}] and [{k},{tokens},{hidden}]");
        return new VisionFeatures(features.ToArray(), deepstack.ToArray(), tokens, hidden, k);
    }

    /// <summary>The intra-op thread count this session was created with (0 = ONNX Runtime's choice).</summary>
    public int IntraOpThreads { get; }

    public void Dispose() => _session.Dispose();
}
