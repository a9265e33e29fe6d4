using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using QwenVlStudio.Web.Api;

namespace QwenVlStudio.Web.Tests.Api;

public sealed class ExactWindowRateLimiterFacts
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    [Fact]
    public void Refusal_SaysWhenTheWindowFrees_NotAWholeWindow()
    {
        using var limiter = new ExactWindowRateLimiter(3, TimeSpan.FromMinutes(1), _clock);
        for (int i = 0; i < 3; i++)
            Assert.True(limiter.AttemptAcquire().IsAcquired);

        _clock.Advance(TimeSpan.FromSeconds(45));
        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(15), retryAfter);
    }

    [Fact]
    public void NewWindow_GrantsTheFullLimitAgain()
    {
        using var limiter = new ExactWindowRateLimiter(2, TimeSpan.FromMinutes(1), _clock);
        limiter.AttemptAcquire();
        limiter.AttemptAcquire();
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
        Assert.Equal(2, limiter.GetStatistics()!.TotalFailedLeases);
    }
}
