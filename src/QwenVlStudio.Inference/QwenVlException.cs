namespace QwenVlStudio.Inference;

/// <summary>Base of every error the engine reports to callers with a message meant for the user.</summary>
public class QwenVlException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A model package is missing a file, has an inconsistent config, or a graph breaks the I/O contract.</summary>
public sealed class ModelPackageException(string message, Exception? inner = null) : QwenVlException(message, inner);

/// <summary>An image was refused: empty, truncated, not an image, unsupported format, or too many pixels.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : QwenVlException(message, inner);

/// <summary>The prompt (text plus image tokens) does not fit the context, or the request is otherwise malformed.</summary>
public sealed class InvalidPromptException(string message) : QwenVlException(message);

/// <summary>
/// One request option is out of its range or malformed. <see cref="Field"/> is the option's snake_case name as the
/// OpenAI API spells it (<c>temperature</c>, <c>top_p</c>, <c>max_tokens</c> …), so every front end can name it.
/// </summary>
public sealed class InvalidGenerationOptionException(string field, string message) : QwenVlException(message)
{
    public string Field { get; } = field;
}

/// <summary>The prompt (text plus image tokens, plus the answer's minimum) does not fit the model's context.</summary>
public sealed class ContextLengthExceededException(int promptTokens, int contextTokens, string message) : QwenVlException(message)
{
    public int PromptTokens { get; } = promptTokens;
    public int ContextTokens { get; } = contextTokens;
}

/// <summary>
/// The engine's queue for a priority class is full. Callers show "busy, try again" (the HTTP API maps it to 429
/// with Retry-After); nothing was started, so retrying later is safe.
/// </summary>
public sealed class EngineBusyException(Generation.RequestPriority priority, int queueLimit)
    : QwenVlException($"The server is busy: {queueLimit} {priority.ToString().ToLowerInvariant()} request(s) are already waiting. Please try again in a moment.")
{
    public Generation.RequestPriority Priority { get; } = priority;

    public int QueueLimit { get; } = queueLimit;

    /// <summary>A hint for clients: how long to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);
}
