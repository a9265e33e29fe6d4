using System.Text.Json;

namespace QwenVlStudio.Web.Batches;

/// <summary>Checks an answer that should be JSON; models often wrap it in a Markdown fence, which is taken off.</summary>
public static class JsonAnswer
{
    /// <summary>The JSON text (fence removed, trimmed), or null with <paramref name="error"/> saying why it is not JSON.</summary>
    public static string? Extract(string answer, out string? error)
    {
        var text = Unfence(answer.Trim());
        try
        {
            using var _ = JsonDocument.Parse(text);
            error = null;
            return text;
        }
        catch (JsonException ex)
        {
            error = $"The answer is not valid JSON: {ex.Message}";
            return null;
        }
    }

    private static string Unfence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
            return text;
        var firstLineEnd = text.IndexOf('\n');
        if (firstLineEnd < 0)
            return text;
        return text[(firstLineEnd + 1)..^3].Trim();
    }
}
