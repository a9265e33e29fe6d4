using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Engine;

/// <summary>
/// The golden greedy ids through the real engine core when it schedules hard: prompts prefilled in small chunks
/// between other rows' decode steps, two rows per decoder call, and a batch item preempted by interactive work.
/// </summary>
public class EngineSchedulingGoldenFacts
{
    private static readonly GenerationOptions GoldenOptions = GenerationOptions.Greedy(16, minNewTokens: 16);

    [Fact]
    public async Task FourGoldenCases_Together_WithChunkedPrefillAndTwoRowsPerCall_GetTheirIds()
    {
        using var model = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
        {
            VisionThreads = 1, DecoderThreads = 1, MaxRunningSequences = 4, MaxBatchSize = 2,
            PrefillChunkTokens = 16, StepTokenBudget = 24, VisionCacheBytes = 0, PrefixCacheBytes = 0,
        });
        string[] names = ["case1_image_describe", "case2_tall_ocr_zh", "case4_text_only", "case5_two_images"];
        var cases = names.Select(GoldenCase.Load).ToList();

        var results = await Task.WhenAll(cases.Select(c => EngineGenerationFacts.Collect(model.GenerateAsync(GoldenConversation.Messages(c), GoldenOptions))));

        for (int i = 0; i < cases.Count; i++)
            Assert.Equal(cases[i].GeneratedIds, results[i].Ids);
        Assert.True(model.BatchCounters.MeanBatchSizeSince(QwenVlStudio.Inference.Generation.Batching.BatchCounters.None) > 1);
    }

    [Fact]
    public async Task PreemptedBatchItem_ResumesOnItsOwnKv_AndKeepsItsGoldenIds()
    {
        using var model = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions
        {
            VisionThreads = 1, DecoderThreads = 1, MaxRunningSequences = 1, MaxBatchSize = 1, PrefixCacheBytes = 0,
        });
        var bulkCase = GoldenCase.Load("case1_image_describe");
        var urgentCase = GoldenCase.Load("case4_text_only");
        var order = new List<string>();
        var bulkTokens = new TaskCompletionSource();

        // A long bulk answer (EOS masked throughout, so its first 16 ids are the golden ones) that is surely still
        // decoding when the urgent request arrives.
        var bulk = Run(GoldenConversation.Messages(bulkCase), GenerationOptions.Greedy(400, 400), RequestPriority.Batch, "bulk", 3);
        await bulkTokens.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var urgent = Run(GoldenConversation.Messages(urgentCase), GoldenOptions, RequestPriority.Interactive, "urgent", 0);
        var results = await Task.WhenAll(bulk, urgent).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(bulkCase.GeneratedIds, results[0][..16]);
        Assert.Equal(400, results[0].Count);
        Assert.Equal(urgentCase.GeneratedIds, results[1]);
        Assert.Equal(["urgent", "bulk"], order);

        async Task<List<int>> Run(IReadOnlyList<ChatMessage> messages, GenerationOptions options, RequestPriority priority, string name, int signalAfter)
        {
            var ids = new List<int>();
            await foreach (var e in model.GenerateAsync(messages, options, new RequestContext(priority)))
            {
                if (e.TokenId is int id) ids.Add(id);
                if (signalAfter > 0 && ids.Count == signalAfter) bulkTokens.TrySetResult();
            }
            lock (order) order.Add(name);
            return ids;
        }
    }
}
