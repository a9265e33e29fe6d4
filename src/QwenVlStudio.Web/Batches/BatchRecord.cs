namespace QwenVlStudio.Web.Batches;

/// <summary>
/// A batch as stored in the app's LiteDB: the prompt and settings shared by its items. Counts and state are not
/// stored here but derived from the items (<see cref="BatchProgress"/>), so nothing can be counted twice.
/// </summary>
public sealed class BatchRecord
{
    public Guid Id { get; set; }

    /// <summary>
    /// True while the batch's files are still being stored. Such a batch is not listed and its items are never
    /// queued or resumed: a creation that fails half-way (a full disk) leaves nothing that shows or runs.
    /// </summary>
    public bool Incomplete { get; set; }

    public Guid OwnerId { get; set; }

    public string Name { get; set; } = "";

    public string Prompt { get; set; } = "";

    public string? SystemPrompt { get; set; }

    public BatchOutputFormat OutputFormat { get; set; }

    /// <summary>With the JSON format: the JSON schema every answer is constrained to (null: any JSON value).</summary>
    public string? JsonSchema { get; set; }

    public BatchGenerationSettings Settings { get; set; } = new();

    public DateTime CreatedUtc { get; set; }

    /// <summary>Set by cancel, cleared by retry: while set, no item of the batch is started.</summary>
    public DateTime? CancelledUtc { get; set; }

    public int Total { get; set; }
}
