namespace QwenVlStudio.Inference.Generation;

/// <summary>How urgent a request is, for the engine's own queue (a batching engine admits Interactive first).</summary>
public enum RequestPriority
{
    Interactive = 0,
    Batch = 1,
}

/// <summary>
/// Who a request is for and how urgent it is. Changes nothing in what is generated, only when it runs and whose
/// share of the KV prefix cache its conversation counts against.
/// </summary>
/// <param name="Owner">A user or API key id; null puts the request in one shared anonymous share.</param>
public sealed record RequestContext(RequestPriority Priority = RequestPriority.Interactive, string? Owner = null)
{
    public static RequestContext Default { get; } = new();
}
