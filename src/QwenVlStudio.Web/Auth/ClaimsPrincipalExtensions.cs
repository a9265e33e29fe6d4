using System.Security.Claims;

namespace QwenVlStudio.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id (the cookie's NameIdentifier claim).</summary>
    /// <exception cref="InvalidOperationException">Not signed in.</exception>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The user is not signed in.");

    public static Guid? TryGetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
