using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class BatchItemJobFacts : IAsyncLifetime
{
    private readonly BatchHarness _harness = new();

    public Task InitializeAsync() => _harness.Engine.LoadAsync();

    public async Task DisposeAsync()
    {
        _harness.Engine.Behavior.Pause?.TrySetResult();
        await _harness.DisposeAsync();
    }

    private FakeEngine Engine => _harness.Engine.Factory.Latest!;

    private BatchItemRecord OneItem(byte[]? image = null, BatchRequest? request = null)
    {
        var batch = _harness.Create(request ?? new BatchRequest("Describe it.", new BatchGenerationSettings { MaxNewTokens = 64 }),
            BatchInput.FromBytes("one.png", image ?? TestImages.Png()));
        return Assert.Single(_harness.Items(batch));
    }

    private BatchItemRecord Reload(BatchItemRecord item) => _harness.Store.FindItem(item.Id)!;

    [Fact]
    public async Task RunAsync_StoresTheAnswerWithTimings_AndDoesNothingWhenRunAgain()
    {
        var item = OneItem();

        await _harness.RunAsync(item.Id);
        await _harness.RunAsync(item.Id); // the same job handed out again (after a crash) or a re-enqueued duplicate

        var done = Reload(item);
        Assert.Equal(BatchItemStatus.Done, done.Status);
        Assert.StartsWith("Fake answer: word1 ", done.Answer);
        Assert.Equal(8, done.GeneratedTokens);
        Assert.True(done.PromptTokens > 16, $"prompt tokens {done.PromptTokens}");
        Assert.True(done.TotalMs > 0);
        Assert.NotNull(done.FinishedUtc);
        Assert.Equal(1, done.Attempts);
        var request = Assert.Single(Engine.Requests);
        Assert.Single(request[^1].Images);
        Assert.Equal(Inference.Generation.RequestPriority.Batch, Assert.Single(Engine.Contexts).Priority);
    }

    [Fact]
    public async Task RunAsync_LeavesTheItem_WhenAnotherWorkerHoldsIt()
    {
        var item = OneItem();
        using var held = _harness.Running.TryEnter(item.BatchId, item.Id);

        await _harness.RunAsync(item.Id);

        Assert.Equal(BatchItemStatus.Pending, Reload(item).Status);
        Assert.Empty(Engine.Requests);
    }

    [Fact]
    public async Task RunAsync_FailsTheItemWithTheDecoderReason_WhenTheImageIsTruncated()
    {
        var item = OneItem(BadImages.Truncated());
        Assert.Equal(BatchItemStatus.Pending, item.Status); // its header passed the upload check

        await _harness.RunAsync(item.Id);

        var failed = Reload(item);
        Assert.Equal(BatchItemStatus.Failed, failed.Status);
        Assert.Contains("truncated", failed.Error);
        Assert.StartsWith("The PNG image", failed.Error);
        Assert.Empty(Engine.Requests);
    }

    [Fact]
    public async Task RunAsync_FailsTheItemWithTheEngineReason_WhenThePromptIsRefused()
    {
        var item = OneItem(request: new BatchRequest("[reject] this", new BatchGenerationSettings()));

        await _harness.RunAsync(item.Id);

        var failed = Reload(item);
        Assert.Equal(BatchItemStatus.Failed, failed.Status);
        Assert.Equal("The fake engine rejects this prompt.", failed.Error);
    }

    [Fact]
    public async Task RunAsync_FailsButKeepsTheAnswer_WhenJsonWasAskedAndTheAnswerIsNot()
    {
        var item = OneItem(request: new BatchRequest("Label it.", new BatchGenerationSettings(), OutputFormat: BatchOutputFormat.Json));

        await _harness.RunAsync(item.Id);

        var failed = Reload(item);
        Assert.Equal(BatchItemStatus.Failed, failed.Status);
        Assert.StartsWith("The answer is not valid JSON", failed.Error);
        Assert.StartsWith("Fake answer:", failed.Answer);
        var system = Engine.Requests[0][0];
        Assert.Contains(BatchPrompt.JsonInstruction, ((Inference.Generation.TextContent)system.Content[0]).Text);
    }

    [Fact]
    public async Task RunAsync_PutsTheItemBackAndRethrows_WhenTheServerStopsMidAnswer()
    {
        _harness.Engine.Behavior.Pause = new TaskCompletionSource();
        _harness.Engine.Behavior.PauseAfterTokens = 2;
        var item = OneItem();
        using var shutdown = new CancellationTokenSource();

        var run = _harness.RunAsync(item.Id, shutdown.Token);
        await Poll.UntilAsync(() => Reload(item).Status == BatchItemStatus.Running && Engine.Requests.Count == 1);
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var released = Reload(item);
        Assert.Equal(BatchItemStatus.Pending, released.Status);
        Assert.Null(released.Answer);
        Assert.False(_harness.Running.IsRunning(item.Id));

        _harness.Engine.Behavior.Pause = null;
        await _harness.RunAsync(item.Id); // the requeued job after the restart
        Assert.Equal(BatchItemStatus.Done, Reload(item).Status);
        Assert.Equal(2, Reload(item).Attempts);
    }

    [Fact]
    public async Task RunAsync_FinishesAsCancelled_WhenTheUserCancelsTheBatchMidAnswer()
    {
        _harness.Engine.Behavior.Pause = new TaskCompletionSource();
        _harness.Engine.Behavior.PauseAfterTokens = 2;
        var item = OneItem();

        var run = _harness.RunAsync(item.Id);
        await Poll.UntilAsync(() => Engine.Requests.Count == 1);
        Assert.True(_harness.Service.Cancel(_harness.Owner, item.BatchId));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var cancelled = Reload(item);
        Assert.Equal(BatchItemStatus.Cancelled, cancelled.Status);
        Assert.Contains("Cancelled while it was running", cancelled.Error);
        // The slot is freed when the engine's current step ends, a moment after the answer's last event.
        await Poll.UntilAsync(() => _harness.Engine.Engine.Load.Running == 0, what: "the slot freed");
    }
}
