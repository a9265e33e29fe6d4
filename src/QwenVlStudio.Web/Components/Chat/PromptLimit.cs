namespace QwenVlStudio.Web.Components.Chat;

/// <summary>
/// How much text one chat message may hold: what fits in the model's context, checked before sending so a long paste
/// gets a clear message instead of a refusal from the engine (or, before the circuit limit was raised, a dead page).
/// </summary>
public static class PromptLimit
{
    /// <summary>Qwen's tokenizer averages about four characters of prose per token; the engine checks exactly.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>The context assumed while no engine is loaded (the engine's default cap).</summary>
    public const int DefaultContextTokens = 32_768;

    /// <summary>
    /// The largest message the circuit accepts: the longest allowed text (1 M characters, far above any context the
    /// engine is built with) as UTF-8 JSON, where a character takes up to three bytes.
    /// </summary>
    public const long MaxCircuitMessageBytes = 4L * 1024 * 1024;

    public const int MaxCharactersCap = Web.Chat.ChatTurns.MaxMessageLength;

    public static int MaxCharacters(int? contextTokens) =>
        (int)Math.Min(MaxCharactersCap, (long)(contextTokens ?? DefaultContextTokens) * CharactersPerToken);

    /// <summary>Null when the text fits; otherwise the message to show.</summary>
    public static string? Check(string text, int maxCharacters) =>
        text.Length <= maxCharacters
            ? null
            : $"The message has {text.Length:N0} characters; the model's context holds about {maxCharacters:N0}. Shorten it or send it in parts.";
}
