using System.Net;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

/// <summary>
/// Failed sign-ins per user name and per client address, with lock-outs that double after the free failures run out.
/// A locked name or address is refused before any password is hashed, so a flood of guesses costs the server almost
/// nothing and cannot slow the API. Thread-safe; in memory (a restart forgets, which only helps a user who waited).
/// </summary>
public sealed class LoginThrottle(IOptions<LoginThrottleOptions> options, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Failures> _failures = [];
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>How long sign-ins for this name or from this address stay refused; null when they may try now.</summary>
    public TimeSpan? LockedFor(string userName, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var until = new[] { UserKey(userName), AddressKey(address) }
                .Select(k => _failures.GetValueOrDefault(k)?.LockedUntil ?? DateTimeOffset.MinValue)
                .Max();
            return until > now ? until - now : null;
        }
    }

    public void Failed(string userName, IPAddress? address)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            Sweep(now, settings);
            Count(UserKey(userName), settings.FreeFailuresPerUser, now, settings);
            Count(AddressKey(address), settings.FreeFailuresPerAddress, now, settings);
        }
    }

    /// <summary>A right password: the name and the address start over.</summary>
    public void Succeeded(string userName, IPAddress? address)
    {
        lock (_gate)
        {
            _failures.Remove(UserKey(userName));
            _failures.Remove(AddressKey(address));
        }
    }

    private void Count(string key, int free, DateTimeOffset now, LoginThrottleOptions settings)
    {
        var entry = _failures.TryGetValue(key, out var found) ? found : _failures[key] = new Failures();
        entry.Count++;
        entry.Last = now;
        int over = entry.Count - free;
        if (over <= 0)
            return;
        // 2 s, 4 s, 8 s … capped: guessing stays possible for a forgetful person, hopeless for a script.
        double seconds = Math.Min(settings.MaxLockoutSeconds, settings.FirstLockoutSeconds * Math.Pow(2, Math.Min(over - 1, 30)));
        entry.LockedUntil = now + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Drops names and addresses quiet for <see cref="LoginThrottleOptions.ForgetAfterMinutes"/>, at most once a minute.</summary>
    private void Sweep(DateTimeOffset now, LoginThrottleOptions settings)
    {
        if (now < _nextSweep)
            return;
        _nextSweep = now + TimeSpan.FromMinutes(1);
        var forget = TimeSpan.FromMinutes(settings.ForgetAfterMinutes);
        foreach (var (key, entry) in _failures.ToList())
        {
            if (now - entry.Last > forget && entry.LockedUntil <= now)
                _failures.Remove(key);
        }
    }

    private static string UserKey(string userName) => "user:" + UserStore.Normalize(userName);

    private static string AddressKey(IPAddress? address) =>
        "addr:" + ((address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address)?.ToString() ?? "unknown");

    private sealed class Failures
    {
        public int Count { get; set; }
        public DateTimeOffset Last { get; set; }
        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
