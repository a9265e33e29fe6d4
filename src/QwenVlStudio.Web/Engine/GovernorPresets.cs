namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Defaults by machine size, as in the original CPU service design: small machines run one sequence with two
/// threads; mid-size ones two sequences with four; large ones eight threads and dynamic batching.
/// </summary>
public static class GovernorPresets
{
    public static GovernorSettings ForCoreCount(int cores) => cores switch
    {
        < 8 => new GovernorSettings
        {
            VisionThreads = 2, DecoderThreads = 2, MaxConcurrentSequences = 1,
            BatchingEnabled = false, MaxBatchSize = 1,
        },
        <= 16 => new GovernorSettings
        {
            VisionThreads = 4, DecoderThreads = 4, MaxConcurrentSequences = 2,
            BatchingEnabled = false, MaxBatchSize = 1,
        },
        _ => new GovernorSettings
        {
            VisionThreads = 8, DecoderThreads = 8, MaxConcurrentSequences = 4,
            BatchingEnabled = true, MaxBatchSize = 4,
        },
    };
}
