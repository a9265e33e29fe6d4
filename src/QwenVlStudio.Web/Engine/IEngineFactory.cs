using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Builds the generation engine from a model package. The engine service calls it at start and again whenever
/// the governor's engine options change; it disposes the previous engine when that implements IDisposable.
/// </summary>
public interface IEngineFactory
{
    /// <exception cref="QwenVlException">The package is missing or broken.</exception>
    IGenerationEngine Create(string modelPath, ModelLoadOptions options);
}
