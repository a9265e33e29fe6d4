namespace QwenVlStudio.Web.Auth;

/// <summary>
/// appsettings.json section "Auth" (environment: Auth__AdminUser, Auth__AdminPassword). Used once: when no admin
/// exists yet, the first admin is created from these; without a password a random one is printed to the console.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string AdminUser { get; set; } = "admin";

    public string? AdminPassword { get; set; }
}
