using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Batching;

/// <summary>The engine with dynamic batching: concurrent requests share decoder calls and still get their own answers.</summary>
public class BatchingEngineFacts(BatchingEngineFixture engines) : IClassFixture<BatchingEngineFixture>
{
    private static readonly GenerationOptions GoldenOptions = GenerationOptions.Greedy(16, minNewTokens: 16);

    [Fact]
    public async Task GenerateAsync_GivesEachGoldenCaseItsIds_WhenSixRunConcurrently()
    {
        var cases = TestPaths.GoldenCaseNames.Select(GoldenCase.Load).ToList();
        var prompts = await Task.Run(() => cases.Select(c => engines.Batching.Prepare(GoldenConversation.Messages(c))).ToList());
        var before = engines.Batching.BatchCounters;
        // A long answer, queued first (starting an enumeration of a prepared prompt queues it synchronously), holds
        // one row for as long as the golden cases run, so each of them is decoded in a batch of at least two whatever
        // the timing; with 4 rows, three golden cases run at once and three wait.
        var story = await Task.Run(() => engines.Batching.Prepare([ChatMessage.User("Tell me a long story.")]));
        using var hold = new CancellationTokenSource();
        var holderStream = engines.Batching.GenerateAsync(story, GenerationOptions.Greedy(100_000), hold.Token).GetAsyncEnumerator();
        var holderFirst = holderStream.MoveNextAsync().AsTask();
        var holder = EngineGenerationFacts.Collect(Rest(holderStream, holderFirst));

        var results = await Task.WhenAll(prompts.Select(p => EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(p, GoldenOptions))));
        await hold.CancelAsync();
        var held = await holder;

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cases[i].GeneratedIds, results[i].Ids);
            Assert.Equal(cases[i].Json.GetProperty("generated_text").GetString(), results[i].Text);
            Assert.Equal(FinishReason.Length, results[i].Last.FinishReason);
        }
        Assert.Equal(FinishReason.Cancelled, held.Last.FinishReason);
        var after = engines.Batching.BatchCounters;
        Assert.True(after.MeanBatchSizeSince(before) > 1, $"{after.Rows - before.Rows} rows in {after.DecoderCalls - before.DecoderCalls} calls: nothing was batched");
        // The legacy format copies each of the six into a group with the others at least once (a row joins as a group of
        // its own); the fused format's rows stay in their preallocated slots, so it makes no such copies.
        if (engines.Batching.Package.ResolveFormat(engines.Batching.LoadOptions.GraphFormat) == GraphFormat.Legacy)
            Assert.True(after.Reshapes - before.Reshapes >= cases.Count, $"{after.Reshapes - before.Reshapes} reshapes");
        else
            Assert.Equal(before.Reshapes, after.Reshapes);
    }

    [Fact]
    public async Task GenerateAsync_EndsOnlyTheCancelledRow_WhenOneOfTwoIsCancelled()
    {
        var golden = GoldenCase.Load("case1_image_describe");
        using var cts = new CancellationTokenSource();
        var kept = Task.Run(() => EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(GoldenConversation.Messages(golden), GoldenOptions)));
        var events = new List<GenerationEvent>();

        await foreach (var e in engines.Batching.GenerateAsync([ChatMessage.User("Hello, who are you?")], GenerationOptions.Greedy(500, 500), cts.Token))
        {
            events.Add(e);
            if (events.Count == 3) cts.Cancel();
        }
        var result = await kept;

        Assert.Equal(FinishReason.Cancelled, events[^1].FinishReason);
        Assert.True(events.Count < 500);
        Assert.Equal(golden.GeneratedIds, result.Ids);
    }

    [Fact]
    public async Task GenerateAsync_DropsRow_WhenCallerStopsEnumeratingEarly()
    {
        int taken = 0;
        await foreach (var e in engines.Batching.GenerateAsync([ChatMessage.User("Hello, who are you?")], GenerationOptions.Greedy(300, 300)))
        {
            if (++taken == 2) break;
        }

        // The loop serves the next request normally (the abandoned row left at its next turn).
        var golden = GoldenCase.Load("case4_text_only");
        var result = await EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(GoldenConversation.Messages(golden), GoldenOptions));
        Assert.Equal(golden.GeneratedIds, result.Ids);
    }

    [Fact]
    public async Task GenerateAsync_FailsOnlyTheBadRequest_WhenItsPrefillThrows()
    {
        var golden = GoldenCase.Load("case6_exact_size");
        var good = await Task.Run(() => engines.Batching.Prepare(GoldenConversation.Messages(golden)));
        var bad = good with { Images = [] }; // image tokens without features: the prefill refuses it
        var running = Task.Run(() => EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(good, GoldenOptions)));

        await Assert.ThrowsAsync<InvalidPromptException>(() => EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(bad, GoldenOptions)));

        Assert.Equal(golden.GeneratedIds, (await running).Ids);
    }

    [Fact]
    public async Task GenerateAsync_ReusesKvOfABatchedAnswer_OnTheNextTurn()
    {
        var first = new[] { ChatMessage.User("What is in this picture?", ImageContent.FromFile(Path.Combine(TestPaths.Golden, "image5_224x288.png"))) };
        var answer = await EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(first, GoldenOptions, new RequestContext(Owner: "alice")));
        var second = first.Append(ChatMessage.Assistant(answer.Text)).Append(ChatMessage.User("And the colors?")).ToArray();

        var plain = await EngineGenerationFacts.Collect(engines.Plain.GenerateAsync(second, GoldenOptions));
        var batched = await EngineGenerationFacts.Collect(engines.Batching.GenerateAsync(second, GoldenOptions, new RequestContext(Owner: "alice")));

        Assert.True(batched.Last.Stats.ReusedPromptTokens > answer.Last.Stats.PromptTokens);
        Assert.Equal(plain.Ids, batched.Ids);
        Assert.True(engines.Batching.PrefixCache.BytesOf("alice") > 0);
    }

    private static async IAsyncEnumerable<GenerationEvent> Rest(IAsyncEnumerator<GenerationEvent> stream, Task<bool> first)
    {
        await using (stream)
        {
            for (bool more = await first; more; more = await stream.MoveNextAsync())
                yield return stream.Current;
        }
    }
}
