using QwenVlStudio.Inference;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The one place that classifies what the engine throws, by exception type (never by message text), for the HTTP
/// API, chat replies, batch items and metrics. Errors the engine does not report with a message for users (bugs,
/// native faults) are <see cref="EngineError.MetricOutcome"/> "error" with a generic message.
/// </summary>
public static class EngineErrorClassifier
{
    public static EngineError Classify(Exception error) => error switch
    {
        EngineBusyException e => new(429, "rate_limit_error", "server_busy", null, e.Message, e.Message, "busy", e.RetryAfter, Transient: true),
        EngineUnavailableException { State: EngineState.Loading or EngineState.Reloading } e =>
            new(503, "server_error", "model_not_ready", null, e.Message, e.Message, "unavailable", TimeSpan.FromSeconds(10), Transient: true),
        EngineUnavailableException e => new(503, "server_error", "model_not_ready", null, e.Message, e.Message, "unavailable", TimeSpan.FromSeconds(10)),
        MemoryBudgetExceededException { FitsWhenIdle: true } e =>
            new(429, "rate_limit_error", "server_busy", null, e.Message, e.Message, "busy", TimeSpan.FromSeconds(5), Transient: true),
        MemoryBudgetExceededException e => new(400, "invalid_request_error", "request_too_large", "messages", e.Message, e.Message, "rejected"),
        InvalidGenerationOptionException e => new(400, "invalid_request_error", "invalid_value", e.Field, e.Message, e.Message, "rejected"),
        ContextLengthExceededException e => new(400, "invalid_request_error", "context_length_exceeded", "messages", e.Message, e.Message, "rejected"),
        ImageRejectedException e => new(400, "invalid_request_error", "invalid_image", "messages", $"Invalid image: {e.Message}", e.Message, "rejected"),
        InvalidPromptException e => new(400, "invalid_request_error", "invalid_prompt", "messages", e.Message, e.Message, "rejected"),
        OperationCanceledException => new(499, "server_error", "cancelled", null, "The request was cancelled.", "The request was cancelled.", "cancelled"),
        QwenVlException e => new(500, "server_error", "engine_error", null, e.Message, e.Message, "rejected"),
        _ => new(500, "server_error", "internal_error", null, "The server failed to generate the answer.", $"Generation failed: {error.Message}", "error"),
    };

    /// <summary>Whether the error is one the engine reports for users (input, load, capacity), not a fault.</summary>
    public static bool IsExpected(Exception error) => Classify(error).MetricOutcome is not "error";
}
