namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>
/// Facts that run whole Hangfire servers or child processes share the machine's few cores; they run one after
/// another so that none of them starves another into a timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerCollection
{
    public const string Name = "Hangfire servers";
}
