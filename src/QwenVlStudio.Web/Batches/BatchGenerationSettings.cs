using System.ComponentModel.DataAnnotations;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Batches;

/// <summary>How every answer of a batch is generated; fixed when the batch is created.</summary>
public sealed class BatchGenerationSettings
{
    [Range(1, 32_768, ErrorMessage = "Max new tokens must be between {1} and {2}.")]
    public int MaxNewTokens { get; set; } = 256;

    /// <summary>False: greedy decoding (the same image always gets the same answer).</summary>
    public bool DoSample { get; set; }

    [Range(0.01, 5.0, ErrorMessage = "Temperature must be between {1} and {2}.")]
    public double Temperature { get; set; } = 0.7;

    [Range(0.01, 1.0, ErrorMessage = "Top-p must be between {1} and {2}.")]
    public double TopP { get; set; } = 0.8;

    [Range(0, 1_000, ErrorMessage = "Top-k must be between {1} and {2} (0 turns it off).")]
    public int TopK { get; set; } = 20;

    /// <summary>The governor's request defaults, as a starting point for the form.</summary>
    public static BatchGenerationSettings From(GovernorSettings governor) => new()
    {
        MaxNewTokens = governor.MaxNewTokens,
        DoSample = governor.DoSample,
        Temperature = governor.Temperature,
        TopP = governor.TopP,
        TopK = governor.TopK,
    };

    public GenerationOptions ToGenerationOptions() => new()
    {
        MaxNewTokens = MaxNewTokens,
        DoSample = DoSample,
        Temperature = (float)Temperature,
        TopP = (float)TopP,
        TopK = TopK,
    };

    /// <summary>Range violations as messages for people; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "Invalid value.").ToList();
    }
}
