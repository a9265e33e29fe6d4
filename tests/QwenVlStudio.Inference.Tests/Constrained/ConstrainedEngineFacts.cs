using System.Text;
using System.Text.Json;
using Json.Schema;
using QwenVlStudio.Inference.Constrained;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Constrained;

/// <summary>Constrained decoding inside the engine: budgets, batching rows, min_new_tokens, unconstrained requests.</summary>
public class ConstrainedEngineFacts(BatchingEngineFixture engines) : IClassFixture<BatchingEngineFixture>
{
    private const string Boxes = """
        {"type":"object","properties":{"objects":{"type":"array","maxItems":3,"items":{"type":"object",
         "properties":{"label":{"type":"string","maxLength":12},"bbox_2d":{"type":"array","items":{"type":"integer"},"minItems":4,"maxItems":4}},
         "required":["label","bbox_2d"]}}},"required":["objects"]}
        """;

    [Fact]
    public async Task MaxTokensTooSmall_FinishesWithLength_AndTheTextIsAPrefixOfAValidDocument()
    {
        var options = GenerationOptions.Greedy(5) with { Constraint = JsonConstraint.FromSchema(Boxes) };

        var (text, finish, tokens) = await Answer(engines.Plain, options);

        Assert.Equal(FinishReason.Length, finish);
        Assert.Equal(5, tokens);
        Assert.StartsWith("{", text);
        Assert.NotNull(ParserState.Start(JsonConstraint.FromSchema(Boxes).Root).Advance(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task MinNewTokens_DoesNotForceTokensPastACompleteDocument()
    {
        var options = GenerationOptions.Greedy(20, minNewTokens: 20) with { Constraint = JsonConstraint.FromSchema("""{"type":"boolean"}""") };

        var (text, finish, _) = await Answer(engines.Plain, options);

        Assert.True(text is "true" or "false", text);
        Assert.Equal(FinishReason.Stop, finish);
    }

    [Fact]
    public async Task BatchedRows_EachFollowTheirOwnSchema()
    {
        string[] schemas = [Boxes, """{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":3}""", """{"enum":["yes","no"]}""", """{"type":"string","maxLength":5}"""];
        var answers = schemas.Select((schema, i) => Answer(engines.Batching, new GenerationOptions
        {
            MaxNewTokens = 200, DoSample = true, Seed = 7 + i, Constraint = JsonConstraint.FromSchema(schema),
        })).ToArray();
        var results = await Task.WhenAll(answers);

        for (int i = 0; i < schemas.Length; i++)
        {
            Assert.Equal(FinishReason.Stop, results[i].Finish);
            ConstrainedGenerationFacts.AssertValid(JsonSchema.FromText(schemas[i]), results[i].Text);
        }
        Assert.True(engines.Batching.BatchCounters.Rows > engines.Batching.BatchCounters.DecoderCalls, "the rows were decoded together");
    }

    [Fact]
    public async Task AnyObject_Greedy_IsAJsonObjectOrCutByLength()
    {
        var options = GenerationOptions.Greedy(60) with { Constraint = JsonConstraint.AnyObject };

        var (text, finish, _) = await Answer(engines.Plain, options);

        Assert.StartsWith("{", text);
        if (finish == FinishReason.Stop)
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(text).RootElement.ValueKind);
        else
            Assert.NotNull(ParserState.Start(ObjectNode.FreeForm).Advance(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task UnconstrainedRequest_IsUnchangedByAConstrainedOneBeforeIt()
    {
        var plain = GenerationOptions.Greedy(12);
        var before = await Answer(engines.Plain, plain);
        await Answer(engines.Plain, plain with { Constraint = JsonConstraint.FromSchema(Boxes) });

        var after = await Answer(engines.Plain, plain);

        Assert.Equal(before.Text, after.Text);
        Assert.Equal(FinishReason.Length, after.Finish);
    }

    private static async Task<(string Text, FinishReason? Finish, int Tokens)> Answer(QwenVlModel model, GenerationOptions options)
    {
        var text = new StringBuilder();
        GenerationEvent? last = null;
        await foreach (var e in model.GenerateAsync([ChatMessage.User("Find the objects.")], options))
        {
            text.Append(e.TextDelta);
            last = e;
        }
        return (text.ToString(), last?.FinishReason, last?.Stats.GeneratedTokens ?? 0);
    }
}
