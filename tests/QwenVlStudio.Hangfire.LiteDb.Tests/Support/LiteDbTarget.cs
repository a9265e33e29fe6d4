using Hangfire;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>The LiteDB storage on a file of its own, with default options.</summary>
public sealed class LiteDbTarget : StorageTarget
{
    private readonly TempDirectory _directory = new();
    private readonly LiteDbStorage _storage;

    public LiteDbTarget() => _storage = new LiteDbStorage(_directory.File("hangfire.db"));

    public override JobStorage Storage => _storage;

    public override void Dispose()
    {
        _storage.Dispose();
        _directory.Dispose();
    }
}
