namespace QwenVlStudio.Inference.Generation;

/// <summary>
/// The one validator of request options, with <see cref="GenerationOptionLimits"/>: the engine runs it on every
/// request, and chat, batch, the API and the CLI run it on what they build so that bad input is refused before any
/// work with the option's API name (<see cref="InvalidGenerationOptionException.Field"/>).
/// </summary>
public static class GenerationOptionsValidator
{
    /// <exception cref="InvalidGenerationOptionException">The first option out of its range.</exception>
    public static void Validate(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxNewTokens < 1)
            throw new InvalidGenerationOptionException("max_tokens", "max_tokens must be at least 1");
        if (options.MinNewTokens < 0 || options.MinNewTokens > options.MaxNewTokens)
            throw new InvalidGenerationOptionException("min_tokens", "min_tokens must be between 0 and max_tokens");
        if (!float.IsFinite(options.Temperature) || options.Temperature < 0 || options.Temperature > GenerationOptionLimits.MaxTemperature)
            throw new InvalidGenerationOptionException("temperature",
                $"temperature must be between 0 and {GenerationOptionLimits.MaxTemperature:0.#} (0 = greedy)");
        if (!(options.TopP > 0 && options.TopP <= 1))
            throw new InvalidGenerationOptionException("top_p", "top_p must be greater than 0 and at most 1");
        if (options.TopK < 0 || options.TopK > GenerationOptionLimits.MaxTopK)
            throw new InvalidGenerationOptionException("top_k", $"top_k must be between 0 and {GenerationOptionLimits.MaxTopK} (0 turns it off)");
        if (!(options.RepetitionPenalty > 0 && options.RepetitionPenalty <= GenerationOptionLimits.MaxRepetitionPenalty))
            throw new InvalidGenerationOptionException("repetition_penalty",
                $"repetition_penalty must be greater than 0 and at most {GenerationOptionLimits.MaxRepetitionPenalty:0.#}");
        if (options.StopStrings.Count > GenerationOptionLimits.MaxStopStrings)
            throw new InvalidGenerationOptionException("stop", $"at most {GenerationOptionLimits.MaxStopStrings} stop strings are allowed");
        foreach (var stop in options.StopStrings)
        {
            if (string.IsNullOrEmpty(stop))
                throw new InvalidGenerationOptionException("stop", "stop strings must not be empty");
            if (stop.Length > GenerationOptionLimits.MaxStopStringLength)
                throw new InvalidGenerationOptionException("stop", $"a stop string may have at most {GenerationOptionLimits.MaxStopStringLength} characters");
        }
    }
}
