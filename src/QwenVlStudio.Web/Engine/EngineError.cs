namespace QwenVlStudio.Web.Engine;

/// <summary>
/// How one engine error is shown everywhere: the HTTP API's status, OpenAI error type / code / param (and a
/// Retry-After hint), the text a chat reply or a batch item shows, whether a batch item should retry it later,
/// and the metrics outcome label.
/// </summary>
public sealed record EngineError(
    int Status,
    string ApiType,
    string ApiCode,
    string? Param,
    string ApiMessage,
    string Message,
    string MetricOutcome,
    TimeSpan? RetryAfter = null,
    bool Transient = false)
{
    /// <summary>
    /// The message capitalised, for a batch item's failure column: the engine's reasons start in lower case ("the
    /// image is truncated…") to read well inside API errors; shown alone they read better capitalised.
    /// </summary>
    public string Sentence => Message.Length > 0 && char.IsLower(Message[0]) ? char.ToUpperInvariant(Message[0]) + Message[1..] : Message;
}
