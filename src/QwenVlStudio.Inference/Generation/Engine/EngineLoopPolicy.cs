namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>The scheduling knobs of the engine loop, taken from <see cref="ModelLoadOptions"/> (validated there).</summary>
internal sealed record EngineLoopPolicy(int MaxRunning, int MaxBatchSize, int MaxQueueLength, int StepTokenBudget, int PrefillChunkTokens, int VisionWorkers)
{
    public static EngineLoopPolicy From(ModelLoadOptions options) => new(
        options.MaxRunningSequences, options.MaxBatchSize, options.MaxQueueLength,
        options.StepTokenBudget, options.PrefillChunkTokens, options.VisionWorkers);
}
