using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Batches.Hosting;

namespace QwenVlStudio.Web.Tests.Batches;

/// <summary>The batch item server's lifetime: a host may stop it after disposing it (a test host is stopped twice).</summary>
public sealed class BatchServerFacts
{
    [Fact]
    public async Task StopAsync_AfterDispose_DoesNothing()
    {
        var server = new BatchServer(new InMemoryStorage(), new JobActivator(), Options.Create(new BatchOptions { Workers = 1 }));
        await server.StartAsync(CancellationToken.None);

        server.Dispose();
        var stop = await Record.ExceptionAsync(() => server.StopAsync(CancellationToken.None));

        Assert.Null(stop);
        server.Dispose(); // a second dispose is harmless too
    }

    [Fact]
    public async Task StopAsync_ThenDispose_StopsTheServer()
    {
        var server = new BatchServer(new InMemoryStorage(), new JobActivator(), Options.Create(new BatchOptions { Workers = 1 }));
        await server.StartAsync(CancellationToken.None);

        await server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        server.Dispose();
    }
}
