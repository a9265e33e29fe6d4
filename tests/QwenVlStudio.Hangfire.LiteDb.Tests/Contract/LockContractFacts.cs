using Hangfire.Storage;
using QwenVlStudio.Hangfire.LiteDb.Tests.Support;

namespace QwenVlStudio.Hangfire.LiteDb.Tests.Contract;

/// <summary>Distributed locks: exclusion between connections, timeouts, re-entrancy and release.</summary>
public abstract class LockContractFacts<TTarget> : ContractFacts<TTarget> where TTarget : StorageTarget, new()
{
    [Fact]
    public void AcquireDistributedLock_TimesOut_WhenAnotherConnectionHoldsIt()
    {
        using var held = Connection.AcquireDistributedLock("resource", TimeSpan.FromSeconds(1));

        Assert.Throws<DistributedLockTimeoutException>(
            () => NewConnection().AcquireDistributedLock("resource", TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void AcquireDistributedLock_Succeeds_WhenResourceIsDifferent()
    {
        using var held = Connection.AcquireDistributedLock("resource-a", TimeSpan.FromSeconds(1));

        using var other = NewConnection().AcquireDistributedLock("resource-b", TimeSpan.Zero);
    }

    [Fact]
    public void AcquireDistributedLock_IsReentrant_ForTheSameConnection()
    {
        var other = NewConnection();
        var outer = Connection.AcquireDistributedLock("resource", TimeSpan.FromSeconds(1));
        var inner = Connection.AcquireDistributedLock("resource", TimeSpan.Zero);

        inner.Dispose();
        Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("resource", TimeSpan.Zero));

        outer.Dispose();
        using var acquired = other.AcquireDistributedLock("resource", TimeSpan.Zero);
    }

    [Fact]
    public async Task AcquireDistributedLock_Succeeds_AfterHolderReleasesIt()
    {
        var holder = Connection.AcquireDistributedLock("resource", TimeSpan.FromSeconds(1));
        var other = NewConnection();
        var waiting = Task.Run(() => other.AcquireDistributedLock("resource", TimeSpan.FromSeconds(10)));

        holder.Dispose();

        using var acquired = await waiting;
    }

    [Fact]
    public void ConnectionDispose_ReleasesItsLocks()
    {
        var connection = Storage.GetConnection();
        connection.AcquireDistributedLock("resource", TimeSpan.FromSeconds(1));

        connection.Dispose();

        using var acquired = NewConnection().AcquireDistributedLock("resource", TimeSpan.Zero);
    }

    [Fact]
    public void AcquireDistributedLock_ExcludesOtherWorkers_WhileTheyIncrementTogether()
    {
        var counter = 0;

        Parallel.For(0, 4, _ =>
        {
            using var connection = Storage.GetConnection();
            for (var i = 0; i < 250; i++)
            {
                using (connection.AcquireDistributedLock("counter", TimeSpan.FromSeconds(10)))
                {
                    var read = counter;
                    Thread.Yield();
                    counter = read + 1;
                }
            }
        });

        Assert.Equal(1000, counter);
    }
}
