using System.Text.Json;
using Json.Schema;
using QwenVlStudio.Cli.Bench;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;
using Xunit.Abstractions;

namespace QwenVlStudio.Inference.Tests.Constrained;

/// <summary>
/// The random-weight tiny model writes meaningless tokens; constrained decoding alone must make every answer a
/// document the schema accepts. The judge is JsonSchema.Net, not the engine's own code.
/// </summary>
public class ConstrainedGenerationFacts(TinyEngineFixture engine, ITestOutputHelper output) : IClassFixture<TinyEngineFixture>
{
    private const int Seeds = 20;
    private const int MaxTokens = 200;

    public static TheoryData<string> SchemaNames => [.. JsonBenchSchemas.ByKeyword.Keys];

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public async Task Sampling_TwentySeeds_EveryAnswerValidatesAgainstTheSchema(string name)
    {
        var schemaText = JsonBenchSchemas.ByKeyword[name];
        var judge = JsonSchema.FromText(schemaText);
        var constraint = JsonConstraint.FromSchema(schemaText);
        for (int seed = 0; seed < Seeds; seed++)
        {
            var options = new GenerationOptions { MaxNewTokens = MaxTokens, DoSample = true, Temperature = 1f, Seed = seed, Constraint = constraint };
            var (text, finish, tokens) = await Answer(options);
            output.WriteLine($"seed {seed} ({tokens} tokens, {finish}): {text}");
            Assert.Equal(FinishReason.Stop, finish);
            AssertValid(judge, text);
        }
    }

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public async Task Greedy_AnswerValidatesAgainstTheSchema(string name)
    {
        var schemaText = JsonBenchSchemas.ByKeyword[name];
        var options = GenerationOptions.Greedy(MaxTokens) with { Constraint = JsonConstraint.FromSchema(schemaText) };

        var (text, finish, _) = await Answer(options);

        output.WriteLine(text);
        Assert.Equal(FinishReason.Stop, finish);
        AssertValid(JsonSchema.FromText(schemaText), text);
    }

    internal static void AssertValid(JsonSchema judge, string text)
    {
        using var document = JsonDocument.Parse(text);
        var result = judge.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"'{text}' does not validate: {JsonSerializer.Serialize(result)}");
    }

    private async Task<(string Text, FinishReason? Finish, int Tokens)> Answer(GenerationOptions options)
    {
        var text = new System.Text.StringBuilder();
        GenerationEvent? last = null;
        await foreach (var e in engine.Model.GenerateAsync([ChatMessage.User("Answer in JSON.")], options))
        {
            text.Append(e.TextDelta);
            last = e;
        }
        return (text.ToString(), last?.FinishReason, last?.Stats.GeneratedTokens ?? 0);
    }
}
