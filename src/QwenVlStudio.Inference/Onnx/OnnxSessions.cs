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
