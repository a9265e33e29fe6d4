using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// Renders model output as HTML. Raw HTML in the text is escaped (DisableHtml) and links or images whose URL is
/// not http(s), mailto or relative lose their URL, so a model cannot inject script into the page.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
                link.Url = "#";
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!IsSafeUrl(autolink.Url))
                autolink.Url = "#";
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>Relative URLs and http(s)/mailto ones; anything else with a scheme (javascript:, data:, …) is not.</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return true;
        // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:"), so drop them first.
        var cleaned = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var end = cleaned.IndexOfAny(['/', '?', '#']);
        var head = end < 0 ? cleaned : cleaned[..end];
        var colon = head.IndexOf(':');
        if (colon < 0)
            return true;
        var scheme = head[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
