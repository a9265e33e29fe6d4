using Microsoft.Extensions.Options;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Loads the real Qwen3-VL ONNX engine with the engine options the governor mapped from its settings, plus the
/// Model section's privacy and memory settings (not live: they apply when the engine is next built).
/// </summary>
public sealed class OnnxEngineFactory(IOptions<ModelOptions>? modelOptions = null) : IEngineFactory
{
    public IGenerationEngine Create(string modelPath, ModelLoadOptions options) => QwenVlModel.Load(modelPath, options with
    {
        ShareSystemPromptPrefixes = modelOptions?.Value.ShareSystemPromptPrefixes ?? false,
        MemoryBudgetBytes = (modelOptions?.Value ?? new ModelOptions()).ResolvedMemoryBudgetBytes(),
    });
}
