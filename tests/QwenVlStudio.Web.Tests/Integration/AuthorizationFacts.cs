using System.Net;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>Settings and user administration are for admins only.</summary>
public sealed class AuthorizationFacts : IClassFixture<StudioFactory>
{
    private readonly StudioFactory _factory;

    public AuthorizationFacts(StudioFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/settings")]
    [InlineData("/admin/users")]
    public async Task AdminPage_Answers403_WhenSignedInUserIsNotAdmin(string page)
    {
        var user = _factory.CreateUser("plain" + Guid.NewGuid().ToString("N")[..8]);
        using var client = await SignedInClient.CreateAsync(_factory, user.UserName, "user-password-1");

        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery);

        var denied = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Theory]
    [InlineData("/settings", "settings-threads-decoder")]
    [InlineData("/admin/users", "admin-user-add")]
    public async Task AdminPage_Renders_WhenAdminIsSignedIn(string page, string testId)
    {
        using var client = await SignedInClient.CreateAsync(_factory, StudioFactory.AdminUser, StudioFactory.AdminPassword);
        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-testid=\"{testId}\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/settings")]
    [InlineData("/admin/users")]
    public async Task AdminPage_RedirectsToLogin_WhenAnonymous(string page)
    {
        using var client = SignedInClient.Anonymous(_factory);
        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }
}
