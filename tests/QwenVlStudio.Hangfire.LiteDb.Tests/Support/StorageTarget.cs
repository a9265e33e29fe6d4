using Hangfire;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>A storage the contract facts run against, created fresh for every test.</summary>
public abstract class StorageTarget : IDisposable
{
    public abstract JobStorage Storage { get; }

    public abstract void Dispose();
}
