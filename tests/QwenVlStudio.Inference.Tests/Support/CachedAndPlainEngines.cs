namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>
/// Two tiny engines: <see cref="Cached"/> with the speed features (vision cache, KV prefix cache) at their defaults
/// and <see cref="Plain"/> with all of them off, to check they change nothing in the output.
/// </summary>
public sealed class CachedAndPlainEngines : IDisposable
{
    public QwenVlModel Cached { get; } = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1 });

    public QwenVlModel Plain { get; } = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
    {
        VisionThreads = 1,
        DecoderThreads = 1,
        VisionCacheBytes = 0,
        PrefixCacheBytes = 0,
    });

    public void Dispose()
    {
        Cached.Dispose();
        Plain.Dispose();
    }
}
