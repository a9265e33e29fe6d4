using System.Collections.Concurrent;
using Hangfire;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>Lets a running job find the storage of its test (a job's arguments cannot carry a storage).</summary>
public static class StorageRegistry
{
    private static readonly ConcurrentDictionary<string, JobStorage> Storages = new();

    public static void Register(string run, JobStorage storage) => Storages[run] = storage;

    public static JobStorage Get(string run) => Storages[run];
}
