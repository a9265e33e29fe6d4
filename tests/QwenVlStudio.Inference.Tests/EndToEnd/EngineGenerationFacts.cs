using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.EndToEnd;

/// <summary>The full engine — template, tokenizer, own preprocessing, vision, decoding — against the reference.</summary>
public class EngineGenerationFacts(TinyEngineFixture engine) : IClassFixture<TinyEngineFixture>
{
    private static readonly GenerationOptions GoldenOptions = GenerationOptions.Greedy(16, minNewTokens: 16);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GenerateAsync_ReproducesReferenceIds_FromImageFilesAndMessages(string name)
    {
        var golden = GoldenCase.Load(name);

        var (ids, text, last) = await Collect(engine.Model.GenerateAsync(GoldenConversation.Messages(golden), GoldenOptions));

        Assert.Equal(golden.GeneratedIds, ids);
        Assert.Equal(golden.Json.GetProperty("generated_text").GetString(), text);
        Assert.Equal(FinishReason.Length, last.FinishReason);
        Assert.Equal(golden.InputIds.Length, last.Stats.PromptTokens);
        Assert.Equal(16, last.Stats.GeneratedTokens);
    }

    [Fact]
    public async Task Prepare_BuildsGoldenIdsAndPositions_ForTwoImagesInOneTurn()
    {
        var golden = GoldenCase.Load("case5_two_images");

        var prompt = await Task.Run(() => engine.Model.Prepare(GoldenConversation.Messages(golden)));

        Assert.Equal(golden.InputIds, prompt.Ids);
        Assert.Equal(golden.Npy("position_ids.npy").AsInt64(), prompt.Positions.Values);
        Assert.Equal(2, prompt.Images.Count);
        Onnx.GoldenParityFacts.AssertClose(golden.Npy("image_features_1.npy").AsFloat32(), prompt.Images[1].ImageFeatures, 1e-4f);
    }

    [Fact]
    public async Task GenerateAsync_StopsAtStopString_AndDoesNotReturnIt()
    {
        var golden = GoldenCase.Load("case4_text_only");
        var full = golden.Json.GetProperty("generated_text").GetString()!;
        var stop = full.Substring(10, 4);

        var (_, text, last) = await Collect(engine.Model.GenerateAsync(GoldenConversation.Messages(golden),
            GoldenOptions with { StopStrings = [stop] }));

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], text);
        Assert.Equal(FinishReason.Stop, last.FinishReason);
    }

    [Fact]
    public async Task GenerateAsync_EndsWithCancelled_WhenTokenIsCancelledMidway()
    {
        using var cts = new CancellationTokenSource();
        var events = new List<GenerationEvent>();

        await foreach (var e in engine.Model.GenerateAsync([ChatMessage.User("Hello, who are you?")], GenerationOptions.Greedy(200, 200), cts.Token))
        {
            events.Add(e);
            if (events.Count(t => t.TokenId is not null) == 2) cts.Cancel();
        }

        // The loop thread may have decoded a few more before its next turn saw the cancellation; never all 200.
        Assert.Equal(FinishReason.Cancelled, events[^1].FinishReason);
        Assert.True(events[0].IsStarted);
        Assert.InRange(events.Count(t => t.TokenId is not null), 2, 199);
    }

    [Fact]
    public async Task GenerateAsync_IsRepeatable_WhenSamplingWithASeed()
    {
        var options = new GenerationOptions { MaxNewTokens = 12, MinNewTokens = 12, DoSample = true, Temperature = 0.8f, TopK = 50, TopP = 0.9f, Seed = 7 };
        var messages = new[] { ChatMessage.User("Hello, who are you?") };

        var first = await Collect(engine.Model.GenerateAsync(messages, options));
        var second = await Collect(engine.Model.GenerateAsync(messages, options));
        var other = await Collect(engine.Model.GenerateAsync(messages, options with { Seed = 8 }));

        Assert.Equal(first.Ids, second.Ids);
        Assert.NotEqual(first.Ids, other.Ids);
    }

    [Fact]
    public async Task GenerateAsync_ChangesIds_WhenRepetitionPenaltyApplies()
    {
        var messages = new[] { ChatMessage.User("Hello, who are you?") };

        var plain = await Collect(engine.Model.GenerateAsync(messages, GenerationOptions.Greedy(16, 16)));
        var penalised = await Collect(engine.Model.GenerateAsync(messages, GenerationOptions.Greedy(16, 16) with { RepetitionPenalty = 1.5f }));

        Assert.NotEqual(plain.Ids, penalised.Ids);
        // The golden text-only answer repeats a token ("halten" three times); a penalty must avoid exact repeats of it.
        Assert.True(penalised.Ids.Distinct().Count() >= plain.Ids.Distinct().Count());
    }

    internal static async Task<(List<int> Ids, string Text, GenerationEvent Last)> Collect(IAsyncEnumerable<GenerationEvent> events)
    {
        var ids = new List<int>();
        var text = new System.Text.StringBuilder();
        GenerationEvent? last = null;
        await foreach (var e in events)
        {
            if (e.TokenId is int id) ids.Add(id);
            text.Append(e.TextDelta);
            last = e;
        }
        return (ids, text.ToString(), last!);
    }

    public static TheoryData<string> Cases() => GoldenCase.All();
}
