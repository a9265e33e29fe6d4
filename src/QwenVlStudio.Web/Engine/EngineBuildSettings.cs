namespace QwenVlStudio.Web.Engine;

/// <summary>
/// What an engine instance is built with. Intra-op threads are separate for the vision encoder and the decoder:
/// vision encoding wants its own thread count. 0 lets ONNX Runtime choose.
/// </summary>
public sealed record EngineBuildSettings(int VisionThreads, int DecoderThreads);
