using System.Net;
using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Components.Chat;
using QwenVlStudio.Web.Components.Layout;
using QwenVlStudio.Web.Components.Pages;
using QwenVlStudio.Web.Data;
using QwenVlStudio.Web.Observability;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Components;

/// <summary>Issue 14, group 2: copy buttons, the one list of app-bar links, "—" for no data, the favicon.</summary>
public sealed class LayoutAndCopyFacts
{
    private static IRenderedComponent<MessageView> Answer(StudioBunitContext ctx, string text) =>
        ctx.Render<MessageView>(p => p.Add(c => c.Record, new MessageRecord { Role = ChatRole.Assistant, Text = text, FinishReason = FinishReason.Stop }));

    [Fact]
    public async Task CodeBlocks_GetACopyButton_ButEscapedHtmlInTheAnswerDoesNot()
    {
        await using var ctx = new StudioBunitContext();

        var withCode = Answer(ctx, "Run this:\n\n```bash\necho hi\n```\n\nand this:\n\n    ls -l\n");
        Assert.Equal(2, withCode.FindAll(".code-block [data-testid=code-copy]").Count);
        Assert.Equal(2, withCode.FindAll(".code-block > pre").Count);

        var sneaky = Answer(ctx, "A literal <pre> tag and </pre> in prose.");
        Assert.Empty(sneaky.FindAll("[data-testid=code-copy]"));
        Assert.Contains("&lt;pre&gt;", sneaky.Find("[data-testid=chat-message-text]").InnerHtml);
    }

    [Fact]
    public async Task CopyAnswer_CopiesTheMarkdownAsWritten()
    {
        await using var ctx = new StudioBunitContext();
        var cut = Answer(ctx, "It is a **cat**.");

        await cut.Find("[data-testid=chat-copy-answer]").ClickAsync(new());

        var copy = Assert.Single(ctx.JSInterop.Invocations, i => i.Identifier == "qwenvlChat.copy");
        Assert.Equal("It is a **cat**.", copy.Arguments[0]);
    }

    [Fact]
    public async Task CopyAnswer_IsNotOffered_WhileTheAnswerIsEmpty()
    {
        await using var ctx = new StudioBunitContext();
        Assert.Empty(Answer(ctx, "").FindAll("[data-testid=chat-copy-answer]"));
    }

    [Fact]
    public void AppLinks_GiveAdminsTheirPages_AndUsersOnlyTheirs()
    {
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Admin)], "test"));
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.User)], "test"));

        Assert.Contains(AppLinks.For(admin), l => l.Href == "/settings");
        Assert.DoesNotContain(AppLinks.For(user), l => l.Href == "/settings" || l.Href == "/admin/users" || l.Href == "/hangfire");
        Assert.Contains(AppLinks.For(user), l => l.Href == "/batch");
        Assert.Equal(AppLinks.For(admin).Count, AppLinks.For(admin).Select(l => l.TestId).Distinct().Count());
    }

    [Fact]
    public async Task Monitor_ShowsADash_ForTtftWithNoRequests()
    {
        await using var ctx = new StudioBunitContext();
        var history = new MetricsHistory();
        ctx.Services.AddSingleton(history);
        var cut = ctx.Render<MonitorPage>();
        Assert.Equal("—", cut.Find("[data-testid=metrics-tile-ttft] .tile-value").TextContent.Trim());

        await cut.InvokeAsync(() => history.Add(Sample(ttftP50: 0, ttftP95: 0)));
        cut.WaitForAssertion(() => Assert.Equal("—", cut.Find("[data-testid=metrics-tile-ttft] .tile-value").TextContent.Trim()));
        await cut.InvokeAsync(() => history.Add(Sample(ttftP50: 120, ttftP95: 340)));
        cut.WaitForAssertion(() => Assert.Equal("120 / 340 ms", cut.Find("[data-testid=metrics-tile-ttft] .tile-value").TextContent.Trim()));
    }

    private static MetricsSample Sample(double ttftP50, double ttftP95) =>
        new(DateTime.UtcNow, 10, 100, 50, 8, 0, 0, ttftP50, ttftP95, 0, 0, 0, 0, 0);
}

/// <summary>The favicon is served (it was a 404 on every page).</summary>
public sealed class FaviconFacts : IClassFixture<StudioFactory>
{
    private readonly StudioFactory _factory;

    public FaviconFacts(StudioFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/favicon.ico")]
    [InlineData("/favicon.svg")]
    public async Task Favicon_IsServed_WithoutSigningIn(string path)
    {
        using var client = SignedInClient.Anonymous(_factory);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }
}
