using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Onnx;

public class ModelSessionsFacts
{
    [Fact]
    public void Constructor_GivesVisionThreadsToVisionAndDecoderThreadsToEmbedderAndDecoder()
    {
        using var sessions = new ModelSessions(ModelPackage.Load(TestPaths.TinyModel), new ModelLoadOptions { VisionThreads = 2, DecoderThreads = 1, GraphFormat = GraphFormat.Legacy });

        Assert.Equal(2, sessions.Vision.IntraOpThreads);
        Assert.Equal(1, sessions.Embedder.IntraOpThreads);
        Assert.Equal(1, sessions.Decoder.IntraOpThreads);
    }
}
