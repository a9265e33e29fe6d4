using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Registered while the ONNX engine is not part of this build: the engine service reports
/// <see cref="EngineState.Failed"/> with this message instead of pretending to answer.
/// OnnxEngineFactory replaces it once QwenVlModel exists (see EngineServiceCollectionExtensions).
/// </summary>
public sealed class PendingEngineFactory : IEngineFactory
{
    public IGenerationEngine Create(string modelPath, EngineBuildSettings settings) =>
        throw new ModelPackageException(
            "This build has no ONNX engine yet (OnnxEngineFactory is not compiled in), so no model can be loaded.");
}
