using QwenVlStudio.Web.Chat;

namespace QwenVlStudio.Web.Tests.Chat;

public sealed class MarkdownRendererFacts
{
    [Fact]
    public void ToHtml_RendersEmphasisListsAndCode()
    {
        var html = MarkdownRenderer.ToHtml("A **cat**:\n\n- one\n- two\n\n`code`");
        Assert.Contains("<strong>cat</strong>", html);
        Assert.Contains("<li>one</li>", html);
        Assert.Contains("<code>code</code>", html);
    }

    [Fact]
    public void ToHtml_EscapesRawHtml_FromTheModel()
    {
        var html = MarkdownRenderer.ToHtml("<script>alert(1)</script> and <img src=x onerror=alert(1)>");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x](java\tscript:alert(1))")]
    [InlineData("![x](data:text/html;base64,PHNjcmlwdD4=)")]
    public void ToHtml_DropsDangerousUrls(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);
        var urls = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(urls, url => Assert.True(MarkdownRenderer.IsSafeUrl(System.Net.WebUtility.HtmlDecode(url)), url));
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"data:", html);
    }

    [Theory]
    [InlineData("https://example.org/a", true)]
    [InlineData("/images/abc", true)]
    [InlineData("page?x=a:b", true)]
    [InlineData("mailto:a@b.c", true)]
    [InlineData("vbscript:msgbox", false)]
    public void IsSafeUrl_AllowsOnlyWebLinks(string url, bool safe) => Assert.Equal(safe, MarkdownRenderer.IsSafeUrl(url));
}
