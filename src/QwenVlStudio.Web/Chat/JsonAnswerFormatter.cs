using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenVlStudio.Web.Chat;

/// <summary>Shows a finished answer that is a JSON object or array (the chat's JSON toggle) indented, as JSON.</summary>
public static class JsonAnswerFormatter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The indented JSON, or null when <paramref name="text"/> is not a JSON object or array (then it is Markdown).</summary>
    public static string? Format(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || !(trimmed[0] is '{' or '[')) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
