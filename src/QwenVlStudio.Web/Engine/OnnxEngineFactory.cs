using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Loads the real Qwen3-VL ONNX engine. Excluded from compilation (see QwenVlStudio.Web.csproj) until
/// QwenVlModel lands on main; then remove the Compile Remove line and register this factory instead of
/// PendingEngineFactory in EngineServiceCollectionExtensions.
/// </summary>
public sealed class OnnxEngineFactory : IEngineFactory
{
    public IGenerationEngine Create(string modelPath, EngineBuildSettings settings) =>
        QwenVlModel.Load(modelPath, new ModelLoadOptions
        {
            VisionThreads = settings.VisionThreads,
            DecoderThreads = settings.DecoderThreads,
        });
}
