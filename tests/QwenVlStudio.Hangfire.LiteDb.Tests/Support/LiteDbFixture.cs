using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Time.Testing;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Support;

/// <summary>
/// A LiteDB storage on a file of its own, driven by a fake clock, which a fact can close and open again.
/// </summary>
public sealed class LiteDbFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public LiteDbFixture(Action<LiteDbStorageOptions>? configure = null)
    {
        Configure = configure;
        Storage = Open();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public LiteDbStorage Storage { get; private set; }

    public string FilePath => _directory.File("hangfire.db");

    public TimeSpan InvisibilityTimeout => Storage.Options.InvisibilityTimeout;

    private Action<LiteDbStorageOptions>? Configure { get; }

    public LiteDbStorage Open()
    {
        var options = new LiteDbStorageOptions { TimeProvider = Clock, InvisibilityTimeout = TimeSpan.FromMinutes(5) };
        Configure?.Invoke(options);
        return new LiteDbStorage(FilePath, options);
    }

    /// <summary>Closes the storage and opens the file again, as a restarted process would.</summary>
    public void Reopen()
    {
        Storage.Dispose();
        Storage = Open();
    }

    public string Enqueue(string queue = "default")
    {
        using var connection = Storage.GetConnection();
        var jobId = connection.CreateExpiredJob(
            Job.FromExpression(() => TestJobs.Noop(1)), new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetJobState(jobId, new EnqueuedState(queue));
        transaction.AddToQueue(queue, jobId);
        transaction.Commit();
        return jobId;
    }

    /// <summary>Fetches from "default" on a new connection (which the caller disposes with the job's owner).</summary>
    public IFetchedJob Fetch(IStorageConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return connection.FetchNextJob(["default"], timeout.Token);
    }

    /// <summary>Whether something can be fetched from "default" right now (waits only briefly).</summary>
    public bool CanFetch()
    {
        using var connection = Storage.GetConnection();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            using var fetched = connection.FetchNextJob(["default"], cancel.Token);
            fetched.Requeue();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Storage.Dispose();
        _directory.Dispose();
    }
}
