namespace QwenVlStudio.Hangfire.LiteDb.Data;

/// <summary>A server as the dashboard shows it.</summary>
internal sealed record ServerRecord(string Name, string[] Queues, int WorkerCount, DateTime StartedAt, DateTime HeartbeatAt);
