namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// What the batching loop did since load: batched decoder calls and the rows they decoded, and the KV copies made
/// when rows joined or left (the price of the left-padded layout).
/// </summary>
public sealed record BatchCounters(long DecoderCalls, long Rows, long Reshapes, double ReshapeMs)
{
    public static BatchCounters None { get; } = new(0, 0, 0, 0);

    /// <summary>Mean rows per decoder call since <paramref name="earlier"/>; 0 when no call was made.</summary>
    public double MeanBatchSizeSince(BatchCounters earlier) =>
        DecoderCalls > earlier.DecoderCalls ? (double)(Rows - earlier.Rows) / (DecoderCalls - earlier.DecoderCalls) : 0;
}
