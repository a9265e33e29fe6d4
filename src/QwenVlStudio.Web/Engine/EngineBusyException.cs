namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The scheduler's queue for a priority class is full. Callers show "busy, try again" (the HTTP API maps it to
/// 429 with Retry-After); nothing was started, so retrying later is safe.
/// </summary>
public sealed class EngineBusyException(WorkPriority priority, int queueLimit)
    : Exception($"The server is busy: {queueLimit} {priority.ToString().ToLowerInvariant()} request(s) are already waiting. Please try again in a moment.")
{
    public WorkPriority Priority { get; } = priority;

    public int QueueLimit { get; } = queueLimit;

    /// <summary>A hint for clients: how long to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);
}
