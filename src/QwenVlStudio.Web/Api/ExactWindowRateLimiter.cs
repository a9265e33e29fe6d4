using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace QwenVlStudio.Web.Api;

/// <summary>
/// A fixed-window limiter (N permits per window, no queue) whose refusals carry the real time until the window frees
/// as <see cref="MetadataName.RetryAfter"/>. The framework's FixedWindowRateLimiter always reports one whole window,
/// so clients told "Retry-After: 60" with 5 s left would wait twelve times too long.
/// </summary>
public sealed class ExactWindowRateLimiter(int permitLimit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly object _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;
    private long _successful;
    private long _failed;
    private DateTimeOffset _lastUse = clock.GetUtcNow();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
                return _used == 0 || clock.GetUtcNow() - _windowStart >= window ? clock.GetUtcNow() - _lastUse : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, permitLimit - _used),
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            _lastUse = now;
            if (now - _windowStart >= window)
            {
                _windowStart = now;
                _used = 0;
            }
            if (_used + permitCount <= permitLimit)
            {
                _used += permitCount;
                _successful++;
                return Lease.Granted;
            }
            _failed++;
            return new Lease(false, _windowStart + window - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = after;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
