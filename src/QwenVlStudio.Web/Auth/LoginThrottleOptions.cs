using System.ComponentModel.DataAnnotations;

namespace QwenVlStudio.Web.Auth;

/// <summary>
/// appsettings.json section "Auth:Login": how many wrong passwords a user name and a client address may send before
/// each further one locks them out, for a time that doubles with every failure.
/// </summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "Auth:Login";

    /// <summary>Failures per user name before lock-outs start (a user mistyping is not punished).</summary>
    [Range(1, 1000)]
    public int FreeFailuresPerUser { get; set; } = 5;

    /// <summary>Failures per client address (any user names) before lock-outs start; higher, for users behind one NAT.</summary>
    [Range(1, 100_000)]
    public int FreeFailuresPerAddress { get; set; } = 20;

    /// <summary>The first lock-out; each further failure doubles it, up to <see cref="MaxLockoutSeconds"/>.</summary>
    [Range(1, 3600)]
    public int FirstLockoutSeconds { get; set; } = 2;

    [Range(1, 86_400)]
    public int MaxLockoutSeconds { get; set; } = 900;

    /// <summary>A name or address with no failure for this long starts over.</summary>
    [Range(1, 1440)]
    public int ForgetAfterMinutes { get; set; } = 60;
}
