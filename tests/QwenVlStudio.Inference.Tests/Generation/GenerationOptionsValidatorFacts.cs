using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Inference.Tests.Generation;

/// <summary>The one validator of request options: each bad value is refused naming its API field; edges pass.</summary>
public class GenerationOptionsValidatorFacts
{
    public static TheoryData<GenerationOptions, string> BadOptions => new()
    {
        { new GenerationOptions { MaxNewTokens = 0 }, "max_tokens" },
        { new GenerationOptions { MaxNewTokens = 4, MinNewTokens = 5 }, "min_tokens" },
        { new GenerationOptions { MinNewTokens = -1 }, "min_tokens" },
        { new GenerationOptions { DoSample = true, Temperature = 2.5f }, "temperature" },
        { new GenerationOptions { Temperature = -0.1f }, "temperature" },
        { new GenerationOptions { Temperature = float.NaN }, "temperature" },
        { new GenerationOptions { TopP = 0 }, "top_p" },
        { new GenerationOptions { TopP = 1.01f }, "top_p" },
        { new GenerationOptions { TopK = -1 }, "top_k" },
        { new GenerationOptions { TopK = GenerationOptionLimits.MaxTopK + 1 }, "top_k" },
        { new GenerationOptions { RepetitionPenalty = 0 }, "repetition_penalty" },
        { new GenerationOptions { RepetitionPenalty = 10.5f }, "repetition_penalty" },
        { new GenerationOptions { StopStrings = ["a", "b", "c", "d", "e"] }, "stop" },
        { new GenerationOptions { StopStrings = [""] }, "stop" },
        { new GenerationOptions { StopStrings = [new string('x', GenerationOptionLimits.MaxStopStringLength + 1)] }, "stop" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_RefusesOutOfRangeOptions_NamingTheField(GenerationOptions options, string field)
    {
        var error = Assert.Throws<InvalidGenerationOptionException>(() => GenerationOptionsValidator.Validate(options));

        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Validate_AcceptsTheEdges_AndTemperatureZeroMeansGreedy()
    {
        var edges = new GenerationOptions
        {
            MaxNewTokens = 1, MinNewTokens = 1, DoSample = true, Temperature = 0, TopP = 1, TopK = GenerationOptionLimits.MaxTopK,
            RepetitionPenalty = GenerationOptionLimits.MaxRepetitionPenalty, StopStrings = ["a", "b", "c", "d"],
        };

        GenerationOptionsValidator.Validate(edges);
        GenerationOptionsValidator.Validate(edges with { Temperature = GenerationOptionLimits.MaxTemperature });
        Assert.True(edges.IsGreedy);
        Assert.False((edges with { Temperature = 0.7f }).IsGreedy);
    }
}
