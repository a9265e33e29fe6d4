namespace QwenVlStudio.Inference;

/// <summary>
/// Engine options by machine size, as in the original CPU service design: small machines run one sequence with
/// two threads; mid-size ones two sequences with four, decoded one per call; large ones eight threads and four
/// sequences batched into one decoder call. Hosts (the web governor, the CLI bench) start from these.
/// </summary>
public static class EnginePresets
{
    public static ModelLoadOptions ForCoreCount(int cores) => cores switch
    {
        < 8 => new ModelLoadOptions { VisionThreads = 2, DecoderThreads = 2, MaxRunningSequences = 1, MaxBatchSize = 1 },
        <= 16 => new ModelLoadOptions { VisionThreads = 4, DecoderThreads = 4, MaxRunningSequences = 2, MaxBatchSize = 1 },
        _ => new ModelLoadOptions { VisionThreads = 8, DecoderThreads = 8, MaxRunningSequences = 4, MaxBatchSize = 4 },
    };
}
