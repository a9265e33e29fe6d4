using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string AdminPolicy = "Admin";

    /// <summary>Cookie sign-in against the LiteDB users, the Admin policy, and the first-admin bootstrap.</summary>
    public static IServiceCollection AddStudioAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddSingleton<UserAccounts>();
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<AdminBootstrapper>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = AccountEndpoints.LoginPath;
                options.AccessDeniedPath = "/access-denied";
                options.Cookie.Name = "qwenvl.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromDays(7);
                options.Events.OnValidatePrincipal = RejectRemovedUsers;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>A deleted user's or demoted admin's cookie stops working on their next request.</summary>
    private static Task RejectRemovedUsers(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var principal = context.Principal;
        var userId = principal?.TryGetUserId();
        var user = userId is null ? null : users.FindById(userId.Value);
        if (user is null || !principal!.IsInRole(user.Role))
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        return Task.CompletedTask;
    }
}
