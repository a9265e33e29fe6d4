using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Auth;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Auth;

public sealed class UserAccountsFacts
{
    private static UserAccounts Accounts(TempDatabase db) => new(db.Users, new PasswordHasher<UserRecord>(), TimeProvider.System);

    [Fact]
    public void Verify_ReturnsUser_OnlyForTheRightPassword()
    {
        using var db = new TempDatabase();
        var accounts = Accounts(db);
        var created = accounts.Create("Carol", "correct horse", Roles.User);

        Assert.Equal(created.Id, accounts.Verify("carol", "correct horse")!.Id);
        Assert.Null(accounts.Verify("carol", "wrong horse"));
        Assert.Null(accounts.Verify("nobody", "correct horse"));
        Assert.DoesNotContain("correct horse", db.Users.FindById(created.Id)!.PasswordHash);
    }

    [Fact]
    public void Verify_DoesTheSamePasswordHashWork_ForAnUnknownName()
    {
        using var db = new TempDatabase();
        var hasher = new CountingHasher();
        var accounts = new UserAccounts(db.Users, hasher, TimeProvider.System);
        accounts.Create("carol", "correct horse", Roles.User);

        hasher.Verifications = 0;
        Assert.Null(accounts.Verify("carol", "wrong horse"));
        int known = hasher.Verifications;
        hasher.Verifications = 0;
        Assert.Null(accounts.Verify("nobody", "wrong horse"));

        Assert.Equal(1, known);
        Assert.Equal(known, hasher.Verifications);
    }

    private sealed class CountingHasher : IPasswordHasher<UserRecord>
    {
        private readonly PasswordHasher<UserRecord> _inner = new();

        public int Verifications { get; set; }

        public string HashPassword(UserRecord user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(UserRecord user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Theory]
    [InlineData("", "long enough pw", "User names")]
    [InlineData("has space", "long enough pw", "User names")]
    [InlineData("dave", "short", "at least 8")]
    public void Create_Throws_WhenInputBreaksTheRules(string name, string password, string message)
    {
        using var db = new TempDatabase();
        var error = Assert.Throws<AccountException>(() => Accounts(db).Create(name, password, Roles.User));
        Assert.Contains(message, error.Message);
        Assert.Empty(db.Users.List());
    }

    [Fact]
    public void Create_Throws_WhenNameIsTakenInAnyCase()
    {
        using var db = new TempDatabase();
        var accounts = Accounts(db);
        accounts.Create("erin", "password-1", Roles.User);
        Assert.Throws<AccountException>(() => accounts.Create("ERIN", "password-2", Roles.User));
    }

    [Fact]
    public void Delete_Throws_ForSelfAndForTheLastAdmin()
    {
        using var db = new TempDatabase();
        var accounts = Accounts(db);
        var admin = accounts.Create("root", "password-1", Roles.Admin);
        var other = accounts.Create("frank", "password-1", Roles.User);

        Assert.Throws<AccountException>(() => accounts.Delete(admin.Id, admin.Id));
        Assert.Throws<AccountException>(() => accounts.Delete(admin.Id, other.Id));
        Assert.True(accounts.Delete(other.Id, admin.Id));
    }

    [Fact]
    public async Task Bootstrapper_PrintsGeneratedPasswordOnce_WhenNoneIsConfigured()
    {
        using var db = new TempDatabase();
        var accounts = Accounts(db);
        var output = new StringWriter();
        var bootstrapper = new AdminBootstrapper(db.Users, accounts, Options.Create(new AuthOptions()), NullLogger<AdminBootstrapper>.Instance) { Output = output };

        await bootstrapper.StartAsync(CancellationToken.None);
        var printed = output.ToString();
        var password = System.Text.RegularExpressions.Regex.Match(printed, "password '([^']+)'").Groups[1].Value;

        Assert.Equal(20, password.Length);
        Assert.NotNull(accounts.Verify("admin", password));
        await bootstrapper.StartAsync(CancellationToken.None);
        Assert.Equal(printed, output.ToString());
        Assert.Single(db.Users.List());
    }

    [Fact]
    public async Task Bootstrapper_UsesConfiguredPassword_WithoutPrintingIt()
    {
        using var db = new TempDatabase();
        var accounts = Accounts(db);
        var output = new StringWriter();
        var options = Options.Create(new AuthOptions { AdminUser = "boss", AdminPassword = "configured-secret" });
        await new AdminBootstrapper(db.Users, accounts, options, NullLogger<AdminBootstrapper>.Instance) { Output = output }
            .StartAsync(CancellationToken.None);

        Assert.NotNull(accounts.Verify("boss", "configured-secret"));
        Assert.DoesNotContain("configured-secret", output.ToString());
    }
}
