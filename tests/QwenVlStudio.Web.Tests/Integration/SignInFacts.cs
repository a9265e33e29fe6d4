using System.Net;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Integration;

public sealed class SignInFacts : IClassFixture<StudioFactory>
{
    private readonly StudioFactory _factory;

    public SignInFacts(StudioFactory factory) => _factory = factory;

    [Fact]
    public async Task ChatPage_RedirectsToLogin_WhenAnonymous()
    {
        using var client = SignedInClient.Anonymous(_factory);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Login_SetsCookieAndOpensChat_WhenPasswordIsRight()
    {
        using var client = await SignedInClient.CreateAsync(_factory, StudioFactory.AdminUser, StudioFactory.AdminPassword);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"chat-input\"", html);
    }

    [Fact]
    public async Task Login_RedirectsBackWithError_WhenPasswordIsWrong()
    {
        using var client = SignedInClient.Anonymous(_factory);
        var response = await SignedInClient.PostLoginAsync(client, StudioFactory.AdminUser, "wrong-password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=1", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Login_LocksOut_AfterTooManyWrongPasswords_EvenForTheRightOne()
    {
        await using var factory = new StudioFactory();
        factory.Settings["Auth:Login:FreeFailuresPerUser"] = "2";
        factory.Settings["Auth:Login:FirstLockoutSeconds"] = "600";
        using var client = SignedInClient.Anonymous(factory);
        for (int i = 0; i < 3; i++)
            Assert.Contains("error=1", (await SignedInClient.PostLoginAsync(client, StudioFactory.AdminUser, "wrong-password")).Headers.Location!.OriginalString);

        var locked = await SignedInClient.PostLoginAsync(client, StudioFactory.AdminUser, StudioFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString);
        Assert.True(locked.Headers.RetryAfter!.Delta > TimeSpan.FromSeconds(500));
        Assert.Contains("Too many failed sign-ins", await client.GetStringAsync(locked.Headers.Location));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Login_IsRejected_WhenAntiforgeryTokenIsMissing()
    {
        using var client = SignedInClient.Anonymous(_factory);
        var response = await SignedInClient.PostLoginAsync(client, StudioFactory.AdminUser, StudioFactory.AdminPassword, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_IgnoresForeignReturnUrl_WhenItPointsToAnotherSite()
    {
        using var client = SignedInClient.Anonymous(_factory);
        var token = await SignedInClient.AntiforgeryTokenAsync(client, "/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = StudioFactory.AdminUser,
            ["password"] = StudioFactory.AdminPassword,
            ["returnUrl"] = "//evil.example/phish",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}
