namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The tiny engine with dynamic batching of up to 4 sequences, and one without, for comparisons.</summary>
public sealed class BatchingEngineFixture : IDisposable
{
    public QwenVlModel Batching { get; } = TinyEngines.Load(o => o with { MaxRunningSequences = 4, MaxBatchSize = 4 });

    public QwenVlModel Plain { get; } = TinyEngines.LoadPlain();

    public void Dispose()
    {
        Batching.Dispose();
        Plain.Dispose();
    }
}
