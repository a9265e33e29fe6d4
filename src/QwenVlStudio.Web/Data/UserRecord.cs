namespace QwenVlStudio.Web.Data;

public sealed class UserRecord
{
    public Guid Id { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>Upper-case invariant: names are unique regardless of case.</summary>
    public string NormalizedUserName { get; set; } = "";

    /// <summary>ASP.NET Core's PasswordHasher format (PBKDF2, salted); never the password.</summary>
    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = Roles.User;

    public DateTime CreatedUtc { get; set; }
}
