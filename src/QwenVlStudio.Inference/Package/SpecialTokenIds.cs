namespace QwenVlStudio.Inference.Package;

/// <summary>Token ids the caller-side math needs, read from config.json and generation_config.json.</summary>
public sealed record SpecialTokenIds
{
    public required int ImagePad { get; init; }
    public required int VideoPad { get; init; }
    public required int VisionStart { get; init; }
    public required int VisionEnd { get; init; }
    public required IReadOnlyList<int> Eos { get; init; }
    public int? Pad { get; init; }
}
