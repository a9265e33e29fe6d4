namespace QwenVlStudio.Web.Batches;

/// <summary>What a user asks for when creating a batch (the files come separately).</summary>
public sealed record BatchRequest(
    string Prompt,
    BatchGenerationSettings Settings,
    string? Name = null,
    string? SystemPrompt = null,
    BatchOutputFormat OutputFormat = BatchOutputFormat.Text,
    string? JsonSchema = null);
