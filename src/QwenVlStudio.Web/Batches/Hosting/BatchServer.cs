using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Batches.Jobs;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>
/// The Hangfire server that takes batch items off the "batch" queue (when Batch:RunServer is on). Stopping it
/// trips the running jobs' tokens; their items go back to pending and their jobs back to the queue.
/// </summary>
public sealed class BatchServer(JobStorage storage, JobActivator activator, IOptions<BatchOptions> options) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.RunServer)
            return Task.CompletedTask;
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}",
            Queues = [BatchJobQueue.QueueName],
            WorkerCount = settings.Workers,
            Activator = activator,
            // Retries of the job itself (faults outside an item's processing) are scheduled: look for them often.
            SchedulePollingInterval = TimeSpan.FromSeconds(5),
        }, storage);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped again after it was disposed (a test host's factory stops it once more): a server
        // already disposed has nothing left to stop.
        if (Volatile.Read(ref _server) is not { } server)
            return;
        server.SendStop();
        await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => Interlocked.Exchange(ref _server, null)?.Dispose();
}
