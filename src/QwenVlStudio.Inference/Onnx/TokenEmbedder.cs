using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>onnx/embed_tokens.onnx: token ids [B, S] → embeddings [B, S, H] (§5).</summary>
internal sealed class TokenEmbedder : IDisposable
{
    private static readonly string[] InputNames = ["input_ids"];
    private static readonly string[] OutputNames = ["inputs_embeds"];
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions; // reused: EmbedInto runs on every decode step

    public TokenEmbedder(ModelPackage package, int threads, bool allowSpinning)
    {
        IntraOpThreads = threads;
        _session = OnnxSessions.Create(package.GraphPath(ModelPackage.EmbedGraph), threads, allowSpinning);
        try
        {
            GraphContract.Require(_session, ModelPackage.EmbedGraph,
                [new("input_ids", TensorElementType.Int64, 2)],
                [new("inputs_embeds", TensorElementType.Float, 3)]);
            _runOptions = new RunOptions();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Embeds ids shaped [batch, seq]; the returned OrtValue is owned by the caller.</summary>
    public OrtValue Embed(long[] ids, int batch, int sequenceLength)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [batch, sequenceLength]);
        using var runOptions = new RunOptions();
        var outputs = _session.Run(runOptions, InputNames, [input], OutputNames);
        // Hand the single output to the caller without copying; the collection itself holds nothing else.
        var embeds = outputs[0];
        return embeds;
    }

    /// <summary>Embeds ids [batch, seq] into <paramref name="destination"/> (≥ batch·seq·H floats) without allocating a tensor.</summary>
    public void EmbedInto(long[] ids, int batch, int sequenceLength, Memory<float> destination, int hiddenSize)
    {
        int count = batch * sequenceLength;
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, count), [batch, sequenceLength]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, destination[..(count * hiddenSize)],
            [batch, sequenceLength, hiddenSize]);
        _session.Run(_runOptions, InputNames, [input], OutputNames, [output]);
    }

    /// <summary>The intra-op thread count this session was created with (0 = ONNX Runtime's choice).</summary>
    public int IntraOpThreads { get; }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
