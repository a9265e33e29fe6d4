using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Hosting;

namespace QwenVlStudio.Web.Tests.Batches;

/// <summary>Issue 15 item 7: /readyz reports a job storage that fails or a job server that stopped beating.</summary>
public sealed class JobServerReadinessFacts
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void Problem_NamesTheError_WhenTheStorageFails()
    {
        var check = new JobServerReadiness(new FailingStorage(), Options.Create(new BatchOptions()), _clock);

        Assert.Contains("damaged page", check.Problem());
    }

    [Fact]
    public void Problem_SaysNoHeartbeat_WhenNoServerRunsAfterStartUp()
    {
        using var storage = new InMemoryStorage();
        var check = new JobServerReadiness(storage, Options.Create(new BatchOptions { RunServer = true }), _clock);
        Assert.Null(check.Problem()); // just started: the server has not had time to beat

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Contains("heartbeat", check.Problem());
        Assert.Null(new JobServerReadiness(storage, Options.Create(new BatchOptions { RunServer = false }), _clock).Problem());
    }

    private sealed class FailingStorage : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => throw new LiteDB.LiteException(0, "damaged page");

        public override IStorageConnection GetConnection() => throw new LiteDB.LiteException(0, "damaged page");
    }
}
