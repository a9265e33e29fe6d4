namespace QwenVlStudio.Inference.Package;

/// <summary>The language model's dimensions (config.json → text_config).</summary>
public sealed record TextModelConfig
{
    public required int HiddenSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required IReadOnlyList<int> MropeSection { get; init; }
    public required double RopeTheta { get; init; }
}
