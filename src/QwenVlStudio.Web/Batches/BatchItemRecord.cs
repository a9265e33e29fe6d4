using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// One image of a batch and, once processed, its result. The image bytes live in LiteDB file storage under
/// <see cref="FileId"/>, a server-generated name: the client's file name is for display only.
/// </summary>
public sealed class BatchItemRecord
{
    public Guid Id { get; set; }

    public Guid BatchId { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>Position in the batch (0, 1, …): the order the files were given in.</summary>
    public int Index { get; set; }

    /// <summary>The uploaded (or archived) file's name, cleaned for display; never used as a path.</summary>
    public string FileName { get; set; } = "";

    /// <summary>False when the upload was refused (no bytes kept); such an item cannot be retried.</summary>
    public bool HasImage { get; set; }

    public string? ContentType { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public long Length { get; set; }

    public BatchItemStatus Status { get; set; }

    public string? Answer { get; set; }

    /// <summary>Why the item failed or was cancelled, for people.</summary>
    public string? Error { get; set; }

    public FinishReason? FinishReason { get; set; }

    public int PromptTokens { get; set; }

    public int GeneratedTokens { get; set; }

    public double VisionMs { get; set; }

    public double PrefillMs { get; set; }

    public double TimeToFirstTokenMs { get; set; }

    public double DecodeMs { get; set; }

    /// <summary>Time waiting for an engine slot (behind chat messages and other batch items).</summary>
    public double QueueMs { get; set; }

    /// <summary>Wall time of the last attempt, from claim to result.</summary>
    public double TotalMs { get; set; }

    public DateTime? StartedUtc { get; set; }

    public DateTime? FinishedUtc { get; set; }

    /// <summary>How many times a worker claimed the item (a restart or a retry claims it again).</summary>
    public int Attempts { get; set; }

    /// <summary>The Hangfire job that processes the item now (the dashboard shows it under this id).</summary>
    public string? JobId { get; set; }

    public string FileId => $"batch/{BatchId:N}/{Id:N}";

    public string ThumbnailId => $"batch/{BatchId:N}/{Id:N}-thumb";
}
