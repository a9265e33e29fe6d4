namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The whole engine on the embedded tiny model, loaded once per test class.</summary>
public sealed class TinyEngineFixture : IDisposable
{
    public QwenVlModel Model { get; } = TinyEngines.Load();

    public void Dispose() => Model.Dispose();
}
