using Hangfire.Common;
using Hangfire.States;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>
/// A Processing state as a worker records it (Hangfire's own ProcessingState cannot be created outside Hangfire).
/// </summary>
public sealed class TestProcessingState(string serverId, string workerId) : IState
{
    public string Name => ProcessingState.StateName;
    public string? Reason => null;
    public bool IsFinal => false;
    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new()
    {
        ["StartedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
        ["ServerId"] = serverId,
        ["WorkerId"] = workerId,
    };
}
