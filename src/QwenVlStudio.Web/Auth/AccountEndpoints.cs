using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Routing;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

/// <summary>
/// Sign-in and sign-out as plain form posts (the cookie must be set on an HTTP response, not over the circuit).
/// Both forms carry an antiforgery token; it is checked before the form is read, and a missing or wrong token
/// answers 400.
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/login";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");
        account.MapPost("/login", SignInAsync).AllowAnonymous();
        account.MapPost("/logout", SignOutAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, UserAccounts accounts, LoginThrottle throttle, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest("The sign-in form expired; reload the page and try again.");
        var form = await context.Request.ReadFormAsync();
        string userName = form["username"].ToString(), password = form["password"].ToString();
        var target = SafeReturnUrl(form["returnUrl"]);
        var address = context.Connection.RemoteIpAddress;
        // Refused before the password is hashed: a locked-out flood costs no PBKDF2 work.
        if (throttle.LockedFor(userName, address) is { } wait)
        {
            int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.LocalRedirect($"{LoginPath}?error=locked&retryAfter={seconds}&returnUrl={Uri.EscapeDataString(target)}");
        }
        var user = userName.Length == 0 || password.Length == 0
            ? null
            : accounts.Verify(userName, password);
        if (user is null)
        {
            throttle.Failed(userName, address);
            return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={Uri.EscapeDataString(target)}");
        }
        throttle.Succeeded(userName, address);

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, CreatePrincipal(user));
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest("The sign-out form expired; reload the page and try again.");
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect(LoginPath);
    }

    public static ClaimsPrincipal CreatePrincipal(UserRecord user) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Role, user.Role),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Only local paths: an open redirect to another site is never followed.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
