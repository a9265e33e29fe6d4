using Microsoft.ML.OnnxRuntime;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>Creates CPU inference sessions with the thread settings the caller chose.</summary>
internal static class OnnxSessions
{
    public static InferenceSession Create(string graphPath, int intraOpThreads, bool allowSpinning)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Math.Max(0, intraOpThreads),
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        // The exported decoder computes the tied lm_head as Transpose(embed_tokens.weight) → MatMul. At 2B size that
        // transpose is 1.24 GB, over ONNX Runtime's default 1 GB folding limit, and would then run on every decode
        // step. Folding it once at load (the original is dropped) keeps memory equal and decode fast.
        options.AddSessionConfigEntry("optimization.constant_folding_max_output_size_in_bytes", (4L << 30).ToString());
        try
        {
            return new InferenceSession(graphPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackageException($"ONNX Runtime cannot load '{graphPath}': {e.Message}", e);
        }
    }
}
