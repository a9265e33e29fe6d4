using QwenVlStudio.Inference.Onnx;
using QwenVlStudio.Inference.Package;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>
/// The tiny package's three vision graphs side by side: legacy (torch export), fused fp32 and the fused
/// vision_precision int8 variant (onnx/vision_fused_int8.onnx, written by tools/export/export_fused_vision.py tiny).
/// </summary>
public sealed class VisionEncodersFixture : IDisposable
{
    public const string FusedInt8Graph = ModelPackage.FusedVisionGraph + "_int8";

    public VisionEncodersFixture()
    {
        Package = ModelPackage.Load(TestPaths.TinyModel);
        Legacy = new VisionEncoder(Package, 1, false, ModelPackage.VisionGraph);
        Fused = new VisionEncoder(Package, 1, false, ModelPackage.FusedVisionGraph);
        FusedInt8 = new VisionEncoder(Package, 1, false, FusedInt8Graph);
    }

    public ModelPackage Package { get; }
    internal VisionEncoder Legacy { get; }
    internal VisionEncoder Fused { get; }
    internal VisionEncoder FusedInt8 { get; }

    public void Dispose()
    {
        Legacy.Dispose();
        Fused.Dispose();
        FusedInt8.Dispose();
    }
}
