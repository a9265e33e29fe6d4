using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Tests.EndToEnd;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Generation;

/// <summary>Issue 15 item 1: a request's estimated memory is admitted against a budget, refused when it cannot fit.</summary>
public sealed class MemoryBudgetFacts
{
    private static readonly QwenVlStudio.Inference.Package.TextModelConfig Text = QwenVlStudio.Inference.Package.ModelPackage.Load(TestPaths.TinyModel).Config.Text;

    [Fact]
    public void Reserve_RefusesForever_WhatIsLargerThanTheBudget()
    {
        var budget = new MemoryBudget(1000);

        var error = Assert.Throws<MemoryBudgetExceededException>(() => budget.Reserve(1001));

        Assert.False(error.FitsWhenIdle);
        Assert.Equal(0, budget.ReservedBytes);
    }

    [Fact]
    public void Reserve_RefusesForNow_WhatDoesNotFitBesideTheRunningRequests_AndAdmitsItOnceTheyEnd()
    {
        var budget = new MemoryBudget(1000);
        var first = budget.Reserve(700);

        var busy = Assert.Throws<MemoryBudgetExceededException>(() => budget.Reserve(400));
        Assert.True(busy.FitsWhenIdle);
        first.Dispose();
        first.Dispose(); // twice frees once
        using var second = budget.Reserve(400);

        Assert.Equal(400, budget.ReservedBytes);
    }

    [Fact]
    public void ZeroBudget_AdmitsEverything()
    {
        using var lease = new MemoryBudget(0).Reserve(long.MaxValue / 2);
    }

    [Fact]
    public void Estimate_GrowsWithKvPerTokenAndTheSquareOfThePrompt()
    {
        var text = Text;
        long kvPerToken = 2L * text.NumLayers * text.NumKeyValueHeads * text.HeadDim * sizeof(float);

        long small = MemoryEstimate.Bytes(text, 100, 0, 0);
        long twice = MemoryEstimate.Bytes(text, 200, 0, 0);
        long withAnswer = MemoryEstimate.Bytes(text, 100, 50, 0);

        Assert.Equal(kvPerToken, MemoryEstimate.KvBytesPerToken(text));
        Assert.Equal(50 * kvPerToken, withAnswer - small);
        Assert.True(twice > 2 * small); // the prefill's attention scores are quadratic
        Assert.Equal(small + 12345, MemoryEstimate.Bytes(text, 100, 0, 12345));
    }

    [Fact]
    public async Task Engine_RefusesARequestOverItsBudget_AndFreesTheBudgetAfterARequest()
    {
        var text = Text;
        long budgetBytes = MemoryEstimate.Bytes(text, 64, 64, 0);
        using var model = QwenVlModel.Load(TestPaths.TinyModel, new ModelLoadOptions { VisionThreads = 1, DecoderThreads = 1, MemoryBudgetBytes = budgetBytes });

        var tooLong = GenerationOptions.Greedy(2_000);
        var error = await Assert.ThrowsAsync<MemoryBudgetExceededException>(() =>
            EngineGenerationFacts.Collect(model.GenerateAsync([ChatMessage.User("hi")], tooLong)));
        var fits = await EngineGenerationFacts.Collect(model.GenerateAsync([ChatMessage.User("hi")], GenerationOptions.Greedy(4)));

        Assert.False(error.FitsWhenIdle);
        Assert.Contains("MiB", error.Message);
        Assert.Equal(4, fits.Ids.Count);
        Assert.Equal(0, model.MemoryBudget.ReservedBytes);
    }
}
