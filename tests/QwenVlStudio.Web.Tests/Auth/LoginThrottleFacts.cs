using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QwenVlStudio.Web.Auth;

namespace QwenVlStudio.Web.Tests.Auth;

public sealed class LoginThrottleFacts
{
    private static readonly IPAddress Home = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Away = IPAddress.Parse("10.0.0.2");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    private LoginThrottle Throttle(int perUser = 3, int perAddress = 10) => new(Options.Create(new LoginThrottleOptions
    {
        FreeFailuresPerUser = perUser, FreeFailuresPerAddress = perAddress, FirstLockoutSeconds = 2, MaxLockoutSeconds = 60,
    }), _clock);

    [Fact]
    public void Failed_LocksTheUserOut_AfterTheFreeFailures_ForADoublingTime()
    {
        var throttle = Throttle();
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(throttle.LockedFor("carol", Home));
            throttle.Failed("carol", Home);
        }
        Assert.Null(throttle.LockedFor("carol", Home));

        throttle.Failed("carol", Home);
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.LockedFor("Carol", Away)); // any address, any case
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(throttle.LockedFor("carol", Home));

        throttle.Failed("carol", Home);
        Assert.Equal(TimeSpan.FromSeconds(4), throttle.LockedFor("carol", Home));
        _clock.Advance(TimeSpan.FromSeconds(4));
        for (int i = 0; i < 10; i++) throttle.Failed("carol", Home);
        Assert.Equal(TimeSpan.FromSeconds(60), throttle.LockedFor("carol", Home)); // capped
        Assert.Null(throttle.LockedFor("dave", Away));
    }

    [Fact]
    public void Failed_LocksTheAddressOut_WhenItGuessesManyNames()
    {
        var throttle = Throttle(perUser: 100, perAddress: 4);
        for (int i = 0; i < 5; i++)
            throttle.Failed($"user{i}", Home);

        Assert.NotNull(throttle.LockedFor("someone-new", Home));
        Assert.Null(throttle.LockedFor("someone-new", Away));
    }

    [Fact]
    public void Succeeded_ClearsTheNameAndTheAddress()
    {
        var throttle = Throttle();
        for (int i = 0; i < 3; i++) throttle.Failed("carol", Home);

        throttle.Succeeded("carol", Home);
        throttle.Failed("carol", Home);

        Assert.Null(throttle.LockedFor("carol", Home));
    }

    [Fact]
    public void Failures_AreForgotten_AfterAQuietHour()
    {
        var throttle = Throttle();
        for (int i = 0; i < 3; i++) throttle.Failed("carol", Home);

        _clock.Advance(TimeSpan.FromMinutes(61));
        throttle.Failed("carol", Home); // sweeps the old count first, then counts this one

        Assert.Null(throttle.LockedFor("carol", Home));
    }

    [Fact]
    public void MappedIpv4Addresses_CountAsTheirIpv4()
    {
        var throttle = Throttle(perUser: 100, perAddress: 1);
        throttle.Failed("a", Home.MapToIPv6());
        throttle.Failed("b", Home.MapToIPv6());

        Assert.NotNull(throttle.LockedFor("c", Home));
    }
}
