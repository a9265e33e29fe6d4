using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Auth;

/// <summary>
/// On a fresh database, creates the first admin from Auth:AdminUser / Auth:AdminPassword. Without a configured
/// password it generates one and prints it once to the console (it is not stored anywhere in clear).
/// </summary>
public sealed class AdminBootstrapper(
    UserStore users, UserAccounts accounts, IOptions<AuthOptions> options, ILogger<AdminBootstrapper> logger)
    : IHostedService
{
    /// <summary>Where the generated password is written; the console unless a test captures it.</summary>
    public TextWriter Output { get; init; } = Console.Out;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (users.AnyAdmin())
            return Task.CompletedTask;

        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = accounts.Create(options.Value.AdminUser, password, Roles.Admin);
        logger.LogInformation("Created the first admin user '{User}'", admin.UserName);
        if (string.IsNullOrEmpty(configured))
        {
            Output.WriteLine();
            Output.WriteLine($"  First admin created: user '{admin.UserName}', password '{password}'");
            Output.WriteLine("  (shown only this once; set Auth:AdminPassword to choose it yourself)");
            Output.WriteLine();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
