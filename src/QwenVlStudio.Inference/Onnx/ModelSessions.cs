using QwenVlStudio.Inference.Package;

namespace QwenVlStudio.Inference.Onnx;

/// <summary>
/// The ONNX sessions of one package, created with the caller's thread counts: vision encoder, token embedder and
/// the decoder of the resolved <see cref="GraphFormat"/> (legacy <see cref="DecoderModel"/> or
/// <see cref="FusedDecoderModel"/>; only that one is loaded).
/// </summary>
internal sealed class ModelSessions : IDisposable
{
    private readonly DecoderModel? _decoder;
    private readonly FusedDecoderModel? _fusedDecoder;

    public ModelSessions(ModelPackage package, ModelLoadOptions options)
    {
        Package = package;
        Format = package.ResolveFormat(options.GraphFormat);
        var decoderGraph = package.DecoderGraphFor(Format); // a missing graph fails here, before any session loads
        Vision = new VisionEncoder(package, options.VisionThreads, options.AllowThreadSpinning, package.VisionGraphFor(Format));
        try
        {
            Embedder = new TokenEmbedder(package, options.DecoderThreads, options.AllowThreadSpinning);
            if (decoderGraph == ModelPackage.FusedDecoderGraph)
                _fusedDecoder = new FusedDecoderModel(package, options.DecoderThreads, options.AllowThreadSpinning);
            else
                _decoder = new DecoderModel(package, options.DecoderThreads, options.AllowThreadSpinning);
        }
        catch
        {
            Vision.Dispose();
            Embedder?.Dispose();
            throw;
        }
    }

    public ModelPackage Package { get; }

    /// <summary>Legacy or Fused: the decoder format these sessions run.</summary>
    public GraphFormat Format { get; }

    public VisionEncoder Vision { get; }
    public TokenEmbedder Embedder { get; }

    /// <summary>The legacy decoder (model-package.md §6); only when <see cref="Format"/> is Legacy.</summary>
    public DecoderModel Decoder => _decoder ?? throw new InvalidOperationException(
        "the sessions run the fused decoder (onnx/decoder_fused.onnx); load with GraphFormat = Legacy for the legacy one");

    /// <summary>The fused decoder (docs/fused-package.md); only when <see cref="Format"/> is Fused.</summary>
    public FusedDecoderModel FusedDecoder => _fusedDecoder ?? throw new InvalidOperationException(
        "the sessions run the legacy decoder; load a package with onnx/fused.json with GraphFormat = Auto or Fused");

    /// <summary>The intra-op threads of the decoder session.</summary>
    public int DecoderThreads => _decoder?.IntraOpThreads ?? _fusedDecoder!.IntraOpThreads;

    public void Dispose()
    {
        Vision.Dispose();
        Embedder.Dispose();
        _decoder?.Dispose();
        _fusedDecoder?.Dispose();
    }
}
