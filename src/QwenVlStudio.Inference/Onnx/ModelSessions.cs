using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>The three ONNX sessions of one package, created with the caller's thread counts.</summary>
internal sealed class ModelSessions : IDisposable
{
    public ModelSessions(ModelPackage package, ModelLoadOptions options)
    {
        Package = package;
        Vision = new VisionEncoder(package, options.VisionThreads, options.AllowThreadSpinning);
        try
        {
            Embedder = new TokenEmbedder(package, options.DecoderThreads, options.AllowThreadSpinning);
            Decoder = new DecoderModel(package, options.DecoderThreads, options.AllowThreadSpinning);
        }
        catch
        {
            Vision.Dispose();
            Embedder?.Dispose();
            throw;
        }
    }

    public ModelPackage Package { get; }
    public VisionEncoder Vision { get; }
    public TokenEmbedder Embedder { get; }
    public DecoderModel Decoder { get; }

    public void Dispose()
    {
        Vision.Dispose();
        Embedder.Dispose();
        Decoder.Dispose();
    }
}
