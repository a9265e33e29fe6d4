using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>What <see cref="EngineService.GenerateAsync"/> streams: queue progress, then the engine's events.</summary>
public abstract record EngineUpdate;

/// <summary>Waiting for a slot; <see cref="Position"/> 1 is next in line. Sent whenever the place changes.</summary>
public sealed record QueuedUpdate(int Position) : EngineUpdate;

/// <summary>The request left the queue and the engine is working on it.</summary>
public sealed record StartedUpdate : EngineUpdate;

/// <summary>One generated token, or the final event with the finish reason and statistics.</summary>
public sealed record TokenUpdate(GenerationEvent Event) : EngineUpdate;
