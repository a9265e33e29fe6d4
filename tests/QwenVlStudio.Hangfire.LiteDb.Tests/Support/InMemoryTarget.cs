using Hangfire;
using Hangfire.InMemory;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>
/// Hangfire.InMemory, the reference the LiteDB storage is held to. Its cap on expiration times (a memory guard) is
/// lifted so that expirations mean the same on both storages.
/// </summary>
public sealed class InMemoryTarget : StorageTarget
{
    private readonly InMemoryStorage _storage = new(new InMemoryStorageOptions { MaxExpirationTime = null });

    public override JobStorage Storage => _storage;

    public override void Dispose() => _storage.Dispose();
}
