using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

/// <summary>
/// Sign-in and sign-out as plain form posts (the cookie must be set on an HTTP response, not over the circuit).
/// Both forms carry an antiforgery token, which minimal APIs validate for form-bound parameters.
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

    private static async Task<IResult> SignInAsync(
        HttpContext context, UserAccounts accounts,
        [FromForm(Name = "username")] string? userName,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        var user = string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password)
            ? null
            : accounts.Verify(userName, password);
        if (user is null)
            return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={Uri.EscapeDataString(target)}");

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, CreatePrincipal(user));
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, [FromForm(Name = "returnUrl")] string? returnUrl)
    {
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
