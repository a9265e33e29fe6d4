namespace QwenVlStudio.Inference.Generation;

public enum FinishReason
{
    /// <summary>An end-of-sequence id or a stop string.</summary>
    Stop,

    /// <summary>max_new_tokens reached.</summary>
    Length,

    Cancelled,
}

/// <summary>Timings and counts of one generation so far.</summary>
public sealed record GenerationStats
{
    public int PromptTokens { get; init; }
    public int ImageCount { get; init; }
    public int GeneratedTokens { get; init; }
    public double VisionMs { get; init; }

    /// <summary>Images whose vision features were reused from the cache (the encoder did not run for them).</summary>
    public int CachedImages { get; init; }

    /// <summary>Prompt tokens whose KV came from the prefix cache; only the rest was prefilled.</summary>
    public int ReusedPromptTokens { get; init; }
    public double PrefillMs { get; init; }
    public double TimeToFirstTokenMs { get; init; }
    public double DecodeMs { get; init; }
    public double LastTokenMs { get; init; }

    /// <summary>Time spent on the JSON constraint's token masks so far (0 for unconstrained requests).</summary>
    public double ConstraintMs { get; init; }

    /// <summary>Id of the newest generated token (the one the next decode step feeds back).</summary>
    public int LastTokenId { get; init; }

    /// <summary>Tokens after the first, per second of decode time (0 until two tokens exist).</summary>
    public double DecodeTokensPerSecond => GeneratedTokens > 1 && DecodeMs > 0 ? (GeneratedTokens - 1) * 1000.0 / DecodeMs : 0;
}

/// <summary>
/// One streamed step: a generated token with the text it completes (possibly empty while a multi-byte
/// character is still incomplete), or the final event carrying <see cref="FinishReason"/>.
/// Before any token, the engine's queue reports progress: <see cref="Queued"/> events (the 1-based place in line,
/// sent whenever it changes while the request waits) and one <see cref="Started"/> event when the engine takes
/// it on. Progress events carry no token and no text, so callers that only concatenate text may ignore them.
/// </summary>
public sealed record GenerationEvent(int? TokenId, string TextDelta, GenerationStats Stats, FinishReason? FinishReason = null)
{
    public bool IsFinal => FinishReason is not null;

    /// <summary>Place in the engine's queue (1 = next) while the request waits; null on other events.</summary>
    public int? QueuePosition { get; init; }

    /// <summary>True on the one event that says the engine took the request on (vision, prefill, decode follow).</summary>
    public bool IsStarted { get; init; }

    /// <summary>A queue progress event (<see cref="QueuePosition"/> or <see cref="IsStarted"/>), not a token.</summary>
    public bool IsProgress => QueuePosition is not null || IsStarted;

    public static GenerationEvent Queued(int position) => new(null, "", new GenerationStats()) { QueuePosition = position };

    public static GenerationEvent Started() => new(null, "", new GenerationStats()) { IsStarted = true };
}
