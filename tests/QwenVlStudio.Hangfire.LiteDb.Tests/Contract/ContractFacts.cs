using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>
/// Base of the storage contract: every fact is written once and runs against Hangfire.InMemory (the reference) and
/// the LiteDB storage, through Hangfire's public storage API only.
/// </summary>
public abstract class ContractFacts<TTarget> : IDisposable where TTarget : StorageTarget, new()
{
    private readonly List<IDisposable> _owned = [];

    protected ContractFacts()
    {
        Target = new TTarget();
        Connection = Storage.GetConnection();
        _owned.Add(Connection);
    }

    protected TTarget Target { get; }

    protected JobStorage Storage => Target.Storage;

    protected IStorageConnection Connection { get; }

    protected JobStorageConnection ExtendedConnection => (JobStorageConnection)Connection;

    protected IMonitoringApi Monitoring => Storage.GetMonitoringApi();

    /// <summary>A unique id for the jobs of this test in <see cref="JobLedger"/>.</summary>
    protected string Run { get; } = Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        Target.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Another connection, disposed with the test.</summary>
    protected IStorageConnection NewConnection()
    {
        var connection = Storage.GetConnection();
        _owned.Add(connection);
        return connection;
    }

    protected string CreateJob(int number = 1, IDictionary<string, string?>? parameters = null) =>
        Connection.CreateExpiredJob(
            Job.FromExpression(() => TestJobs.Noop(number)),
            parameters ?? new Dictionary<string, string?>(),
            DateTime.UtcNow,
            TimeSpan.FromHours(1));

    protected void Commit(Action<IWriteOnlyTransaction> write)
    {
        using var transaction = Connection.CreateWriteTransaction();
        write(transaction);
        transaction.Commit();
    }

    /// <summary>Creates a job and puts it into <paramref name="queue"/> in the Enqueued state.</summary>
    protected string Enqueue(string queue = "default", int number = 1)
    {
        var jobId = CreateJob(number);
        Commit(transaction =>
        {
            transaction.SetJobState(jobId, new EnqueuedState(queue));
            transaction.AddToQueue(queue, jobId);
        });
        return jobId;
    }

    protected IFetchedJob Fetch(params string[] queues)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return Connection.FetchNextJob(queues.Length == 0 ? ["default"] : queues, timeout.Token);
    }

    /// <summary>Asserts that nothing can be fetched from <paramref name="queues"/> (the fetch waits briefly, then is cancelled).</summary>
    protected void AssertNothingToFetch(params string[] queues)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() => NewConnection().FetchNextJob(queues, cancel.Token));
    }

    protected static void AssertCloseToNow(DateTime? time)
    {
        Assert.NotNull(time);
        Assert.InRange(time.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    protected static void AssertAbout(TimeSpan expected, TimeSpan actual)
    {
        Assert.InRange(actual, expected - TimeSpan.FromMinutes(1), expected);
    }
}
