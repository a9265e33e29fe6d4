using System.Globalization;
using System.Text.Json;

namespace QwenVlStudio.Web.Batches.Export;

/// <summary>One item of a batch as the downloads show it (CSV columns and JSON Lines fields, in this order).</summary>
public sealed record BatchResultRow(
    int Index,
    string FileName,
    string Status,
    string Prompt,
    string? Answer,
    string? Error,
    int PromptTokens,
    int GeneratedTokens,
    string? FinishReason,
    double QueueMs,
    double VisionMs,
    double PrefillMs,
    double TtftMs,
    double DecodeMs,
    double TotalMs,
    DateTime? StartedUtc,
    DateTime? FinishedUtc,
    int Attempts,
    JsonElement? AnswerJson = null)
{
    public static readonly string[] Columns =
    [
        "index", "file_name", "status", "prompt", "answer", "error", "prompt_tokens", "generated_tokens", "finish_reason",
        "queue_ms", "vision_ms", "prefill_ms", "ttft_ms", "decode_ms", "total_ms", "started_utc", "finished_utc", "attempts",
    ];

    public static BatchResultRow From(BatchRecord batch, BatchItemRecord item) => new(
        item.Index,
        item.FileName,
        item.Status.ToString().ToLowerInvariant(),
        batch.Prompt,
        item.Answer,
        item.Error,
        item.PromptTokens,
        item.GeneratedTokens,
        item.FinishReason?.ToString().ToLowerInvariant(),
        Math.Round(item.QueueMs, 1),
        Math.Round(item.VisionMs, 1),
        Math.Round(item.PrefillMs, 1),
        Math.Round(item.TimeToFirstTokenMs, 1),
        Math.Round(item.DecodeMs, 1),
        Math.Round(item.TotalMs, 1),
        item.StartedUtc is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : null,
        item.FinishedUtc is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null,
        item.Attempts,
        JsonOf(batch, item));

    /// <summary>A JSON batch's answer as the JSON itself (JSON Lines keep the object, not a string of it).</summary>
    private static JsonElement? JsonOf(BatchRecord batch, BatchItemRecord item)
    {
        if (batch.OutputFormat != BatchOutputFormat.Json || item.Status != BatchItemStatus.Done || string.IsNullOrEmpty(item.Answer))
            return null;
        try
        {
            using var document = JsonDocument.Parse(item.Answer);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // answers of batches made before JSON was constrained may not parse; the text stays in "answer"
        }
    }

    /// <summary>The fields as CSV text, in <see cref="Columns"/> order (invariant numbers, ISO 8601 UTC times).</summary>
    public IReadOnlyList<string?> CsvFields() =>
    [
        Index.ToString(CultureInfo.InvariantCulture), FileName, Status, Prompt, Answer, Error,
        Number(PromptTokens), Number(GeneratedTokens), FinishReason,
        Number(QueueMs), Number(VisionMs), Number(PrefillMs), Number(TtftMs), Number(DecodeMs), Number(TotalMs),
        Time(StartedUtc), Time(FinishedUtc), Number(Attempts),
    ];

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Time(DateTime? value) => value?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
