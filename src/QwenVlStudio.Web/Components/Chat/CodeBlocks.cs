namespace QwenVlStudio.Web.Components.Chat;

/// <summary>
/// Gives every code block of a rendered answer a copy button (chat.js copies the block's text on click). Markdig
/// escapes raw HTML in answers, so a "&lt;pre&gt;" in the HTML can only be one Markdig wrote for a code block.
/// </summary>
public static class CodeBlocks
{
    public const string CopyButton =
        "<button type=\"button\" class=\"code-copy\" data-testid=\"code-copy\" aria-label=\"Copy code\">Copy</button>";

    public static string WithCopyButtons(string html) =>
        html.Replace("<pre>", "<div class=\"code-block\">" + CopyButton + "<pre>", StringComparison.Ordinal)
            .Replace("</pre>", "</pre></div>", StringComparison.Ordinal);
}
