using Hangfire.Common;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.LiteDb;

/// <summary>Opening the storage file: exclusivity, refused modes and options, password, disposal.</summary>
public sealed class StorageFileFacts : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string FilePath => _directory.File("jobs.db");

    [Fact]
    public void Constructor_Throws_WhenAnotherStorageHasTheFileOpen()
    {
        using var first = new LiteDbStorage(FilePath);

        var exception = Assert.Throws<LiteDbStorageInUseException>(() => new LiteDbStorage(FilePath));

        Assert.Equal(FilePath, exception.FilePath);
        Assert.Contains("already open", exception.Message);
    }

    [Fact]
    public void Constructor_OpensTheFile_OnceThePreviousStorageIsDisposed()
    {
        new LiteDbStorage(FilePath).Dispose();

        using var second = new LiteDbStorage(FilePath);

        Assert.Equal(FilePath, second.FilePath);
    }

    [Theory]
    [InlineData("Filename={0};Connection=shared")]
    [InlineData("Filename={0};ReadOnly=true")]
    [InlineData("Filename=:memory:")]
    public void Constructor_RefusesModes_ThatCannotHoldHangfireSafely(string connectionString)
    {
        var exception = Assert.Throws<NotSupportedException>(
            () => new LiteDbStorage(string.Format(connectionString, FilePath)));

        Assert.False(File.Exists(FilePath));
        Assert.NotEmpty(exception.Message);
    }

    [Fact]
    public void Constructor_ExplainsSharedMode_WhenItIsRefused()
    {
        var exception = Assert.Throws<NotSupportedException>(() => new LiteDbStorage($"Filename={FilePath};Connection=shared"));

        Assert.Contains("shared mode", exception.Message);
        Assert.Contains("one process", exception.Message);
    }

    [Fact]
    public void Constructor_OpensAnEncryptedFile_WithItsPassword()
    {
        var connectionString = $"Filename={FilePath};Password=secret";
        string jobId;
        using (var storage = new LiteDbStorage(connectionString))
        using (var connection = storage.GetConnection())
        {
            jobId = connection.CreateExpiredJob(
                Job.FromExpression(() => TestJobs.Noop(1)), new Dictionary<string, string?>(),
                DateTime.UtcNow, TimeSpan.FromHours(1));
        }

        using var reopened = new LiteDbStorage(connectionString);
        using var reader = reopened.GetConnection();
        Assert.NotNull(reader.GetJobData(jobId));
    }

    [Theory]
    [InlineData(nameof(LiteDbStorageOptions.InvisibilityTimeout))]
    [InlineData(nameof(LiteDbStorageOptions.QueuePollInterval))]
    [InlineData(nameof(LiteDbStorageOptions.ExpirationCheckInterval))]
    public void Constructor_Throws_WhenATimeOptionIsNotPositive(string option)
    {
        var options = new LiteDbStorageOptions();
        typeof(LiteDbStorageOptions).GetProperty(option)!.SetValue(options, TimeSpan.Zero);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new LiteDbStorage(FilePath, options));

        Assert.Equal(option, exception.ParamName);
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public void Constructor_Throws_WhenPathIsEmpty()
    {
        Assert.Throws<ArgumentException>(() => new LiteDbStorage(" "));
    }

    [Fact]
    public void GetConnection_Throws_WhenStorageIsDisposed()
    {
        var storage = new LiteDbStorage(FilePath);
        storage.Dispose();

        Assert.Throws<ObjectDisposedException>(() => storage.GetConnection());
    }

    [Fact]
    public void TransactionWrites_RejectKeys_ThatCannotBeIndexed()
    {
        using var storage = new LiteDbStorage(FilePath);
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();

        Assert.Throws<ArgumentException>(() => transaction.AddToSet("bad\u0001key", "value"));
        Assert.Throws<ArgumentException>(() => transaction.InsertToList(new string('k', 1000), "value"));
        Assert.Throws<ArgumentException>(() => transaction.AddToQueue("bad\u0002queue", "1"));
    }

    [Fact]
    public void HasFeature_DeclaresTheExtendedApiAndTransactionalAcknowledge()
    {
        using var storage = new LiteDbStorage(FilePath);

        Assert.True(storage.HasFeature("Storage.ExtendedApi"));
        Assert.True(storage.HasFeature("Transaction.AcquireDistributedLock"));
        Assert.True(storage.HasFeature("Connection.BatchedGetFirstByLowestScoreFromSet"));
        Assert.True(storage.HasFeature("TransactionalAcknowledge:LiteDbFetchedJob"));
        Assert.False(storage.HasFeature("Some.Unknown.Feature"));
    }

    public void Dispose() => _directory.Dispose();
}
