using QwenVlStudio.Inference;

namespace QwenVlStudio.Web.Engine;

/// <summary>The governor's defaults by machine size: the engine's own presets (<see cref="EnginePresets"/>) as settings.</summary>
public static class GovernorPresets
{
    public static GovernorSettings ForCoreCount(int cores)
    {
        var engine = EnginePresets.ForCoreCount(cores);
        return new GovernorSettings
        {
            VisionThreads = engine.VisionThreads,
            DecoderThreads = engine.DecoderThreads,
            MaxConcurrentSequences = engine.MaxRunningSequences,
            BatchingEnabled = engine.MaxBatchSize > 1,
            MaxBatchSize = engine.MaxBatchSize,
        };
    }
}
