using Microsoft.ML.OnnxRuntime;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// onnx/decoder_fused.onnx (docs/fused-package.md): S new tokens of B rows against KV buffers bound as both past and
/// present, logits of each row's last new position into a caller buffer. Runs through one reused IOBinding.
/// A package may add onnx/decoder_fused_prefill.onnx, the same contract with other weights (the int4 package's
/// 8-bit prefill graph: MatMulNBits bits 4 is slower than an int8 GEMM for many rows): calls with S &gt; 1 (prompt
/// chunks) then run through it, S = 1 (decode steps) through decoder_fused; both write the same KV buffers.
/// </summary>
internal sealed class FusedDecoderModel : IDisposable
{
    private readonly FusedDecoderSession _decode;
    private readonly FusedDecoderSession? _prefill;

    public FusedDecoderModel(ModelPackage package, int threads, bool allowSpinning)
    {
        IntraOpThreads = threads;
        _decode = new FusedDecoderSession(package, package.DecoderGraphFor(GraphFormat.Fused), threads, allowSpinning);
        if (!package.HasGraph(ModelPackage.FusedPrefillDecoderGraph)) return;
        try
        {
            _prefill = new FusedDecoderSession(package, ModelPackage.FusedPrefillDecoderGraph, threads, allowSpinning);
        }
        catch
        {
            _decode.Dispose();
            throw;
        }
    }

    /// <summary>The intra-op thread count this session was created with (0 = ONNX Runtime's choice).</summary>
    public int IntraOpThreads { get; }

    /// <summary>Whether prompt chunks (S &gt; 1) run through onnx/decoder_fused_prefill.onnx.</summary>
    public bool HasPrefillGraph => _prefill is not null;

    /// <summary>
    /// One decoder call. <paramref name="kv"/>: 2·L tensors [B, n_kv, C, hd] (key before value per layer), bound as
    /// past and present at once so the new positions are written into them; <paramref name="logits"/> [B, V] receives
    /// the logits.
    /// </summary>
    public void Run(OrtValue inputsEmbeds, OrtValue deepstackEmbeds, OrtValue ropeCos, OrtValue ropeSin,
        OrtValue seqlensK, OrtValue totalSequenceLength, IReadOnlyList<OrtValue> kv, OrtValue logits)
    {
        var graph = _prefill is not null && inputsEmbeds.GetTensorTypeAndShape().Shape[1] > 1 ? _prefill : _decode;
        graph.Run(inputsEmbeds, deepstackEmbeds, ropeCos, ropeSin, seqlensK, totalSequenceLength, kv, logits);
    }

    public void Dispose()
    {
        _prefill?.Dispose();
        _decode.Dispose();
    }
}
