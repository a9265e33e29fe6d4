using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>The embedded tiny model loaded in the fused format (decoder_fused.onnx; its vision graph is still the legacy one).</summary>
public sealed class FusedModelFixture : IDisposable
{
    public FusedModelFixture()
    {
        Package = ModelPackage.Load(TestPaths.TinyModel);
        Sessions = new ModelSessions(Package, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1, GraphFormat = GraphFormat.Fused });
    }

    public ModelPackage Package { get; }
    internal ModelSessions Sessions { get; }

    public void Dispose() => Sessions.Dispose();
}
