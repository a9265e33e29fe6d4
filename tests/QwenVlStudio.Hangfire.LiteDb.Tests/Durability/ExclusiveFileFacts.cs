using QwenVlStudio.Hangfire.LiteDb.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Durability;

/// <summary>
/// Two processes on one file would each keep their own locks and queues and corrupt each other's jobs: the second
/// one is refused while the first holds the file, and admitted once it has gone (even when it was killed).
/// </summary>
[Trait(TestCategories.Name, TestCategories.ChildProcess)]
[Collection(ServerCollection.Name)]
public sealed class ExclusiveFileFacts : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    private string Database => _directory.File("jobs.db");

    [Fact]
    public void Constructor_RefusesTheFile_WhileAnotherProcessServesIt_AndTakesItOnceThatProcessIsKilled()
    {
        using (var host = TestHostProcess.Start("--db", Database, "--out", _directory.File("executed.txt")))
        {
            host.WaitForLine("URL", Patience);

            var exception = Assert.Throws<LiteDbStorageInUseException>(() => new LiteDbStorage(Database));
            Assert.Equal(Database, exception.FilePath);

            host.Kill();
        }

        using var storage = new LiteDbStorage(Database);
        Assert.Equal(Database, storage.FilePath);
    }

    public void Dispose() => _directory.Dispose();
}
