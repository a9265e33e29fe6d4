namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// The one set of limits for request options, used by the engine's validator and shown by every front end (chat,
/// batch, API, CLI, settings). OpenAI's ranges where it has one.
/// </summary>
public static class GenerationOptionLimits
{
    /// <summary>Sampling temperature; 0 means greedy.</summary>
    public const float MaxTemperature = 2.0f;

    public const int MaxTopK = 1000;

    /// <summary>Repetition penalty must be in (0, this].</summary>
    public const float MaxRepetitionPenalty = 10.0f;

    /// <summary>Stop strings per request (OpenAI allows 4) and characters per stop string.</summary>
    public const int MaxStopStrings = 4;

    public const int MaxStopStringLength = 256;
}
