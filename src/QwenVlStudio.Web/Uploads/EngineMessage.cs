namespace QwenVlStudio.Web.Uploads;

/// <summary>The engine's reasons start in lower case ("the image is truncated…") to read well inside a longer message.</summary>
public static class EngineMessage
{
    /// <summary>The reason shown on its own: capitalised.</summary>
    public static string AsSentence(string message) =>
        message.Length > 0 && char.IsLower(message[0]) ? char.ToUpperInvariant(message[0]) + message[1..] : message;
}
