using System.ComponentModel.DataAnnotations;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Everything the governor controls: CPU use of the engine and the defaults of each request. Immutable: a change
/// is a new instance handed to <see cref="EngineGovernor.ApplyAsync"/>. Ranges are enforced by the attributes
/// (their messages are shown on the settings page as they are).
/// </summary>
public sealed record GovernorSettings
{
    public const int MaxThreads = 64;

    [Range(1, MaxThreads, ErrorMessage = "Vision encoder threads must be between {1} and {2}.")]
    public int VisionThreads { get; init; } = 2;

    [Range(1, MaxThreads, ErrorMessage = "Decoder threads must be between {1} and {2}.")]
    public int DecoderThreads { get; init; } = 2;

    [Range(1, 64, ErrorMessage = "Concurrent sequences must be between {1} and {2}.")]
    public int MaxConcurrentSequences { get; init; } = 1;

    /// <summary>Requests allowed to wait per priority class; one more gets <see cref="EngineBusyException"/>.</summary>
    [Range(1, 10_000, ErrorMessage = "Queue length must be between {1} and {2}.")]
    public int MaxQueueLength { get; init; } = 32;

    /// <summary>Running sequences decoded together, up to <see cref="MaxBatchSize"/> per decoder call.</summary>
    public bool BatchingEnabled { get; init; }

    [Range(1, 32, ErrorMessage = "Batch size must be between {1} and {2}.")]
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>Memory for vision features of recent images (a repeated image skips the encoder); 0 turns it off.</summary>
    [Range(0, 65_536, ErrorMessage = "Vision cache must be between {1} and {2} MB.")]
    public int VisionCacheMegabytes { get; init; } = 256;

    /// <summary>Memory for finished answers' KV caches (the next turn prefills only new tokens); 0 turns it off.</summary>
    [Range(0, 262_144, ErrorMessage = "KV prefix cache must be between {1} and {2} MB.")]
    public int PrefixCacheMegabytes { get; init; } = 1024;

    /// <summary>Largest uploaded image, in pixels (width × height); larger ones are refused with a message.</summary>
    [Range(1_024, 100_000_000, ErrorMessage = "Max image pixels must be between {1} and {2}.")]
    public long MaxImagePixels { get; init; } = 16_777_216;

    [Range(1, 32_768, ErrorMessage = "Max new tokens must be between {1} and {2}.")]
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>False: greedy decoding; true: sample with the temperature / top-p / top-k below.</summary>
    public bool DoSample { get; init; }

    /// <summary>0 means greedy even with sampling on.</summary>
    [Range(0.0, GenerationOptionLimits.MaxTemperature, ErrorMessage = "Temperature must be between {1} and {2} (0 = greedy).")]
    public double Temperature { get; init; } = 0.7;

    [Range(0.01, 1.0, ErrorMessage = "Top-p must be between {1} and {2}.")]
    public double TopP { get; init; } = 0.8;

    [Range(0, GenerationOptionLimits.MaxTopK, ErrorMessage = "Top-k must be between {1} and {2} (0 turns it off).")]
    public int TopK { get; init; } = 20;

    /// <summary>
    /// The engine options these settings describe: what the engine is built with. Any change of them makes the
    /// engine service drain and rebuild the engine; the other settings (request defaults, image limit) apply at once.
    /// </summary>
    public ModelLoadOptions ToEngineOptions() => new()
    {
        VisionThreads = VisionThreads,
        DecoderThreads = DecoderThreads,
        MaxRunningSequences = MaxConcurrentSequences,
        MaxBatchSize = BatchingEnabled ? MaxBatchSize : 1,
        MaxQueueLength = MaxQueueLength,
        VisionCacheBytes = (long)VisionCacheMegabytes << 20,
        PrefixCacheBytes = (long)PrefixCacheMegabytes << 20,
    };

    /// <summary>The request defaults these settings describe.</summary>
    public GenerationOptions ToGenerationOptions() => new()
    {
        MaxNewTokens = MaxNewTokens,
        DoSample = DoSample,
        Temperature = (float)Temperature,
        TopP = (float)TopP,
        TopK = TopK,
    };

    /// <summary>All range violations plus cross-field rules, as messages for people; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => r.ErrorMessage ?? "Invalid value.").ToList();
        if (!BatchingEnabled && MaxBatchSize > 1)
            errors.Add("Enable batching to use a batch size above 1.");
        // The engine's own rules (batch size ≤ concurrency …) and the request options' limits, from their one validator each.
        errors.AddRange(new ModelLoadOptions { MaxRunningSequences = MaxConcurrentSequences, MaxBatchSize = MaxBatchSize }.Validate());
        try
        {
            GenerationOptionsValidator.Validate(ToGenerationOptions());
        }
        catch (InvalidGenerationOptionException e)
        {
            errors.Add(e.Message);
        }
        return errors.Distinct().ToList();
    }
}
