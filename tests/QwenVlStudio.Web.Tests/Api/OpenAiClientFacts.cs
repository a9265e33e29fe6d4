using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Api;

/// <summary>The official OpenAI .NET client talks to the server as it would to OpenAI.</summary>
public sealed class OpenAiClientFacts : IAsyncLifetime
{
    private readonly ApiTestHost _host = new();

    public async Task InitializeAsync() => Assert.Equal(EngineState.Ready, (await _host.Factory.WaitForEngineAsync()).State);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ChatClient Client(string key = ApiTestHost.ConfiguredKey) => new("any-model", new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(_host.Client.BaseAddress!, "/v1"),
        Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(_host.Client),
    });

    private static List<ChatMessage> QuestionWithImage() =>
    [
        new UserChatMessage(
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(TestImages.Png(64, 48)), "image/png"),
            ChatMessageContentPart.CreateTextPart("What is in this picture?")),
    ];

    [Fact]
    public async Task CompleteChat_ReturnsAnswerAndUsage_WithAnImage()
    {
        var completion = (await Client().CompleteChatAsync(QuestionWithImage(), new ChatCompletionOptions { MaxOutputTokenCount = 5 })).Value;

        Assert.Equal("Fake answer: word1 word2 word3 word4 word5 ", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 16, "the image counts in the prompt");
        Assert.Equal(completion.Usage.InputTokenCount + 5, completion.Usage.TotalTokenCount);
        Assert.Equal("fake-tiny", completion.Model);
        var request = Assert.Single(_host.Factory.Engines.Latest!.Requests);
        Assert.Single(request[^1].Images);
    }

    [Fact]
    public async Task CompleteChatStreaming_StreamsDeltasAndUsage_WithAnImage()
    {
        var text = new System.Text.StringBuilder();
        int updatesWithText = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Client().CompleteChatStreamingAsync(QuestionWithImage(), new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
        {
            foreach (var part in update.ContentUpdate.Where(p => p.Text.Length > 0))
            {
                text.Append(part.Text);
                updatesWithText++;
            }
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Fake answer: word1 word2 word3 word4 word5 word6 ", text.ToString());
        Assert.Equal(6, updatesWithText);
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(6, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_ThrowsClientResultWith401_WhenKeyIsWrong()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client("wrong-key").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, e.Status);
        Assert.Contains("Incorrect API key", e.Message);
    }

    [Fact]
    public async Task CompleteChat_ThrowsClientResultWith400_WhenImageIsCorrupt()
    {
        var corrupt = new UserChatMessage(
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes("not an image"u8.ToArray()), "image/png"),
            ChatMessageContentPart.CreateTextPart("What is this?"));

        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([corrupt]));

        Assert.Equal(400, e.Status);
        Assert.Contains("Invalid image", e.Message);
        Assert.Empty(_host.Factory.Engines.Latest!.Requests);
    }

    [Fact]
    public async Task CompleteChat_WorksWithAUsersOwnKey_AndFailsAfterRevocation()
    {
        var user = _host.Factory.CreateUser("api-user");
        var (record, key) = _host.Keys.Create(user.Id, "script");

        var answer = (await Client(key).CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 2 })).Value;
        Assert.Equal("Fake answer: word1 word2 ", answer.Content[0].Text);

        Assert.True(_host.Keys.Revoke(user.Id, record.Id));
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client(key).CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, e.Status);
    }
}
