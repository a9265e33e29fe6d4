using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Hosting;

/// <summary>
/// The free space where the data files live, as a gauge (<c>qwenvl.disk.free_bytes</c>) and in /readyz: below
/// Data:MinFreeBytes the app is "not ready" (writes would fail),; it is ready again by itself once space is freed.
/// </summary>
public sealed class DiskSpaceReadiness : IReadinessCheck
{
    private readonly string _folder;
    private readonly long _minFree;

    public DiskSpaceReadiness(IOptions<DataOptions> options, IHostEnvironment environment, IMeterFactory meters)
    {
        _folder = Path.GetDirectoryName(Path.GetFullPath(options.Value.Path, environment.ContentRootPath)) ?? environment.ContentRootPath;
        _minFree = options.Value.MinFreeBytes;
        meters.Create(Observability.EngineMetrics.MeterName).CreateObservableGauge("qwenvl.disk.free_bytes",
            () => FreeBytes() ?? -1, "By", "Free bytes on the disk of the data files (-1: unknown)");
    }

    public string Name => "disk";

    public long? FreeBytes()
    {
        try
        {
            return new DriveInfo(_folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public string? Problem() => FreeBytes() is { } free && free < _minFree
        ? $"the disk of {_folder} has {free:N0} bytes free, under Data:MinFreeBytes ({_minFree:N0}); free some space"
        : null;
}
