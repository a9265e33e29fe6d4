namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>What the engine core holds right now: running sequences and the queue (for status pages and metrics).</summary>
public sealed record EngineLoad(int Running, int MaxRunning, int QueuedInteractive, int QueuedBatch, int MaxQueueLength)
{
    public static EngineLoad Idle(int maxRunning, int maxQueueLength) => new(0, maxRunning, 0, 0, maxQueueLength);

    public int Queued => QueuedInteractive + QueuedBatch;

    public bool AcceptsInteractive => QueuedInteractive < MaxQueueLength;
}
