namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>
/// Two tiny engines: <see cref="Cached"/> with the speed features (vision cache, KV prefix cache) at their defaults
/// and <see cref="Plain"/> with all of them off, to check they change nothing in the output.
/// </summary>
public sealed class CachedAndPlainEngines : IDisposable
{
    public QwenVlModel Cached { get; } = TinyEngines.Load();

    public QwenVlModel Plain { get; } = TinyEngines.LoadPlain();

    public void Dispose()
    {
        Cached.Dispose();
        Plain.Dispose();
    }
}
