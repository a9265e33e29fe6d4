using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Observability;

/// <summary>
/// Once a second: process CPU %, working set, GC heap and thread pool, plus the engine's queue, active sequences,
/// tokens/s and latency percentiles; kept in <see cref="MetricsHistory"/> and pushed to /hubs/metrics.
/// </summary>
public sealed class ResourceSampler(
    MetricsHistory history, EngineMeterListener engineMeters, EngineService engine, IHubContext<MetricsHub> hub,
    TimeProvider clock, ILogger<ResourceSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private TimeSpan _lastCpu;
    private long _lastTimestamp;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _lastTimestamp = Stopwatch.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var sample = Sample();
            history.Add(sample);
            try
            {
                await hub.Clients.All.SendAsync("sample", sample, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A push failing (a client gone mid-send) must not stop sampling; it is logged, not hidden.
                logger.LogWarning(ex, "Pushing a metrics sample failed");
            }
        }
    }

    public MetricsSample Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_lastTimestamp, now);
        double cpuPercent = elapsed > TimeSpan.Zero
            ? (cpu - _lastCpu).TotalMilliseconds / elapsed.TotalMilliseconds / Environment.ProcessorCount * 100 : 0;
        _lastCpu = cpu;
        _lastTimestamp = now;
        var queue = engine.Load;
        var (ttft50, ttft95, lat50, lat95) = engineMeters.Percentiles();
        return new MetricsSample(
            clock.GetUtcNow().UtcDateTime,
            Math.Round(Math.Clamp(cpuPercent, 0, 100), 1),
            Math.Round(process.WorkingSet64 / 1048576.0, 1),
            Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
            ThreadPool.ThreadCount,
            ThreadPool.PendingWorkItemCount,
            engineMeters.TakeTokens() / Math.Max(elapsed.TotalSeconds, 1e-3),
            ttft50, ttft95, lat50, lat95,
            queue.QueuedInteractive, queue.QueuedBatch, queue.Running)
        {
            BatchItemsPerSecond = engineMeters.TakeBatchItems() / Math.Max(elapsed.TotalSeconds, 1e-3),
        };
    }
}
