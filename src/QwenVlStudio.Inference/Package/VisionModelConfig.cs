namespace QwenVlStudio.Inference.Package;

/// <summary>The vision encoder's dimensions (config.json → vision_config).</summary>
public sealed record VisionModelConfig
{
    public required int Depth { get; init; }
    public required int HiddenSize { get; init; }
    public required int NumHeads { get; init; }
    public required int OutHiddenSize { get; init; }
    public required int PatchSize { get; init; }
    public required int TemporalPatchSize { get; init; }
    public required int SpatialMergeSize { get; init; }
    public required int InChannels { get; init; }
    public required int NumPositionEmbeddings { get; init; }
    public required IReadOnlyList<int> DeepstackVisualIndexes { get; init; }

    /// <summary>K: how many DeepStack feature sets the vision graph returns.</summary>
    public int DeepstackCount => DeepstackVisualIndexes.Count;

    /// <summary>F: floats per patch row of pixel_values.</summary>
    public int PatchRowLength => InChannels * TemporalPatchSize * PatchSize * PatchSize;

    /// <summary>G: side of the learned square position-embedding table.</summary>
    public int PositionGridSide => (int)Math.Round(Math.Sqrt(NumPositionEmbeddings));
}
