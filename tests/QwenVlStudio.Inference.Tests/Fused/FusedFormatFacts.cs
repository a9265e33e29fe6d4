using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>Format detection: onnx/fused.json makes Auto load the fused decoder; Legacy still loads the legacy one.</summary>
public class FusedFormatFacts
{
    [Fact]
    public void Auto_LoadsTheFusedDecoder_WhenThePackageHasFusedJson()
    {
        var package = ModelPackage.Load(TestPaths.TinyModel);
        using var sessions = new ModelSessions(package, new ModelLoadOptions { DecoderThreads = 1, VisionThreads = 1 });

        Assert.NotNull(package.Fused);
        Assert.Equal("fp32", package.Fused!.Precision);
        Assert.Equal(GraphFormat.Fused, sessions.Format);
        Assert.Equal(1, sessions.FusedDecoder.IntraOpThreads);
        Assert.Throws<InvalidOperationException>(() => sessions.Decoder);
        // The tiny package ships vision_fused.onnx, so the fused format runs it.
        Assert.Equal(ModelPackage.FusedVisionGraph, package.VisionGraphFor(GraphFormat.Fused));
    }

    [Fact]
    public void Legacy_LoadsTheLegacyDecoder_OfAPackageThatHasBoth()
    {
        var package = ModelPackage.Load(TestPaths.TinyModel);
        using var sessions = new ModelSessions(package, new ModelLoadOptions { DecoderThreads = 1, VisionThreads = 1, GraphFormat = GraphFormat.Legacy });

        Assert.Equal(GraphFormat.Legacy, sessions.Format);
        Assert.Equal(1, sessions.Decoder.IntraOpThreads);
        Assert.Throws<InvalidOperationException>(() => sessions.FusedDecoder);
    }
}
