using System.ComponentModel.DataAnnotations;
using QwenVlStudio.Inference;
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

    /// <summary>0 means greedy even with sampling on.</summary>
    [Range(0.0, GenerationOptionLimits.MaxTemperature, ErrorMessage = "Temperature must be between {1} and {2} (0 = greedy).")]
    public double Temperature { get; set; } = 0.7;

    [Range(0.01, 1.0, ErrorMessage = "Top-p must be between {1} and {2}.")]
    public double TopP { get; set; } = 0.8;

    [Range(0, GenerationOptionLimits.MaxTopK, ErrorMessage = "Top-k must be between {1} and {2} (0 turns it off).")]
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

    /// <summary>Range violations as messages for people (the form's ranges, then the engine's one validator); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => r.ErrorMessage ?? "Invalid value.").ToList();
        if (errors.Count > 0) return errors;
        try
        {
            GenerationOptionsValidator.Validate(ToGenerationOptions());
        }
        catch (InvalidGenerationOptionException e)
        {
            errors.Add(e.Message);
        }
        return errors;
    }
}
