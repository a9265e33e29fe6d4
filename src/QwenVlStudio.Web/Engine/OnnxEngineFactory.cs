using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Loads the real Qwen3-VL ONNX engine with the governor's thread counts. Thread spinning stays off (the
/// ModelLoadOptions default): a server shares its cores between sequences and the web host.
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
