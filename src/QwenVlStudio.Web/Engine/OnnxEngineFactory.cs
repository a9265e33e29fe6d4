using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>Loads the real Qwen3-VL ONNX engine with the engine options the governor mapped from its settings.</summary>
public sealed class OnnxEngineFactory : IEngineFactory
{
    public IGenerationEngine Create(string modelPath, ModelLoadOptions options) => QwenVlModel.Load(modelPath, options);
}
