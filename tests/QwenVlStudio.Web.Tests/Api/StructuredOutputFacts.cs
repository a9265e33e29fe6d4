using System.ClientModel;
using System.Text;
using System.Text.Json;
using Json.Schema;
using OpenAI;
using OpenAI.Chat;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>
/// response_format through the official OpenAI .NET client, on the real tiny model (random weights): the
/// constraint alone makes the answers valid. JsonSchema.Net judges them, not the engine's code.
/// </summary>
public sealed class StructuredOutputFacts(StructuredOutputFacts.RealEngineHost real) : IClassFixture<StructuredOutputFacts.RealEngineHost>
{
    private const string Objects = """
        {"type": "object", "properties": {"objects": {"type": "array", "maxItems": 3, "items": {"type": "object",
         "properties": {"label": {"type": "string", "maxLength": 12},
                        "bbox_2d": {"type": "array", "items": {"type": "integer"}, "minItems": 4, "maxItems": 4}},
         "required": ["label", "bbox_2d"], "additionalProperties": false}}},
         "required": ["objects"], "additionalProperties": false}
        """;

    /// <summary>One web host on the real tiny model for all the tests of the class (loading it is the slow part).</summary>
    public sealed class RealEngineHost : IAsyncLifetime
    {
        public ApiTestHost Host { get; } = new(f => f.UseRealEngine = true);

        public async Task InitializeAsync() => Assert.Equal(EngineState.Ready, (await Host.Factory.WaitForEngineAsync()).State);

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private ApiTestHost Host => real.Host;

    private ChatClient Client() => new("qwen3-vl", new ApiKeyCredential(ApiTestHost.ConfiguredKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(Host.Client.BaseAddress!, "/v1"),
        Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(Host.Client),
    });

    private static ChatCompletionOptions SchemaOptions(long seed) => new()
    {
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("objects", BinaryData.FromString(Objects), jsonSchemaIsStrict: true),
        MaxOutputTokenCount = 300,
        Temperature = 1f,
#pragma warning disable OPENAI001 // Seed is marked experimental in the client
        Seed = seed,
#pragma warning restore OPENAI001
    };

    [Fact]
    public async Task JsonSchema_EveryAnswerValidates_OverSeveralSeeds()
    {
        var judge = JsonSchema.FromText(Objects);
        for (int seed = 0; seed < 5; seed++)
        {
            var completion = (await Client().CompleteChatAsync([new UserChatMessage("Find the objects.")], SchemaOptions(seed))).Value;

            Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
            AssertValid(judge, completion.Content[0].Text);
        }
    }

    [Fact]
    public async Task JsonSchema_Streaming_DeltasJoinIntoAValidDocument()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Find the objects.")], SchemaOptions(11)))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.Stop, finish);
        AssertValid(JsonSchema.FromText(Objects), text.ToString());
    }

    [Fact]
    public async Task JsonObject_AnswerIsAJsonObject_OrCutByLength()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), MaxOutputTokenCount = 40, Temperature = 0f };

        var completion = (await Client().CompleteChatAsync([new UserChatMessage("Reply with JSON.")], options)).Value;

        var text = completion.Content[0].Text;
        Assert.StartsWith("{", text);
        if (completion.FinishReason == ChatFinishReason.Stop)
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(text).RootElement.ValueKind);
        else
            Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task JsonSchema_TooFewTokens_FinishesWithLength()
    {
        var options = SchemaOptions(3);
        options.MaxOutputTokenCount = 4;

        var completion = (await Client().CompleteChatAsync([new UserChatMessage("Find the objects.")], options)).Value;

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task UnsupportedKeyword_IsA400NamingIt_ThroughTheClient()
    {
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("dated", BinaryData.FromString("""{"type": "string", "format": "date"}""")),
        };

        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("When?")], options));

        Assert.Equal(400, e.Status);
        Assert.Contains("'format'", e.Message);
    }

    private static void AssertValid(JsonSchema judge, string text)
    {
        using var document = JsonDocument.Parse(text);
        var result = judge.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"'{text}' does not validate against the schema");
    }
}
