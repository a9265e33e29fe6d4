namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The tiny engine with dynamic batching of up to 4 sequences, and one without, for comparisons.</summary>
public sealed class BatchingEngineFixture : IDisposable
{
    public QwenVlModel Batching { get; } = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
    {
        VisionThreads = 1,
        DecoderThreads = 1,
        MaxRunningSequences = 4,
        MaxBatchSize = 4,
    });

    public QwenVlModel Plain { get; } = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
    {
        VisionThreads = 1,
        DecoderThreads = 1,
        VisionCacheBytes = 0,
        PrefixCacheBytes = 0,
    });

    public void Dispose()
    {
        Batching.Dispose();
        Plain.Dispose();
    }
}
