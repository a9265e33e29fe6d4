using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

public sealed class AdminUsersFacts
{
    private static StudioBunitContext Context(out UserAccounts accounts)
    {
        var ctx = new StudioBunitContext(role: Roles.Admin);
        accounts = new UserAccounts(ctx.Db.Users, new PasswordHasher<UserRecord>(), TimeProvider.System);
        ctx.Services.AddSingleton(accounts);
        return ctx;
    }

    [Fact]
    public async Task Add_CreatesUserWhoCanSignIn_AndListsThem()
    {
        await using var ctx = Context(out var accounts);
        var cut = ctx.Render<AdminUsers>();

        cut.Find("[data-testid=admin-user-name]").Change("grace");
        cut.Find("[data-testid=admin-user-password]").Change("grace-password");
        await cut.Find("[data-testid=admin-user-add]").ClickAsync(new());

        Assert.Contains("Added grace (User)", cut.Find("[data-testid=admin-users-message]").TextContent);
        Assert.Contains(cut.FindAll("[data-testid=admin-user-row]"), row => row.TextContent.Contains("grace"));
        Assert.NotNull(accounts.Verify("grace", "grace-password"));
    }

    [Fact]
    public async Task Add_ShowsTheRule_WhenPasswordIsTooShort()
    {
        await using var ctx = Context(out _);
        var cut = ctx.Render<AdminUsers>();

        cut.Find("[data-testid=admin-user-name]").Change("heidi");
        cut.Find("[data-testid=admin-user-password]").Change("short");
        await cut.Find("[data-testid=admin-user-add]").ClickAsync(new());

        Assert.Contains("at least 8 characters", cut.Find("[data-testid=admin-users-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=admin-user-row]"));
    }
}
