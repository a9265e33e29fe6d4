namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The whole engine on the embedded tiny model, loaded once per test class.</summary>
public sealed class TinyEngineFixture : IDisposable
{
    public QwenVlModel Model { get; } = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1 });

    public void Dispose() => Model.Dispose();
}
