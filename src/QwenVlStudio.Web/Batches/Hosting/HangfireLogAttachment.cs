using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>Points Hangfire's logging at this host's loggers while the host runs (see <see cref="HangfireLogBridge"/>).</summary>
public sealed class HangfireLogAttachment(ILoggerFactory loggerFactory) : IHostedService
{
    private IDisposable? _attachment;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _attachment = HangfireLogBridge.Instance.Attach(loggerFactory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _attachment?.Dispose();
        return Task.CompletedTask;
    }
}
