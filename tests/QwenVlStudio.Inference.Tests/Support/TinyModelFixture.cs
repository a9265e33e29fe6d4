using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The embedded tiny model's sessions, loaded once per test class that uses them.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Package = ModelPackage.Load(TestPaths.TinyModel);
        Sessions = new ModelSessions(Package, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1, GraphFormat = GraphFormat.Legacy });
    }

    public ModelPackage Package { get; }
    internal ModelSessions Sessions { get; }

    public void Dispose() => Sessions.Dispose();
}
