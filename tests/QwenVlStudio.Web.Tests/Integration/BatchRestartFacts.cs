using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;
using QwenVlStudio.Tests.Shared;

namespace QwenVlStudio.Web.Tests.Integration;

/// <summary>A batch outlives its host: stopped mid-batch, the next host on the same data finishes it, every item once.</summary>
public sealed class BatchRestartFacts
{
    [Fact]
    public async Task Restart_MidBatch_FinishesEveryItemExactlyOnce()
    {
        var folder = TestPaths.NewTempFolder();
        const int total = 8;
        Guid owner, batchId;
        List<string?> askedFirst;
        var first = new StudioFactory(folder, null);
        first.Settings["Batch:Workers"] = "1";
        first.Engines.Behavior.TokenDelay = TimeSpan.FromMilliseconds(15);
        first.Engines.Behavior.Tokens = 20;
        await using (first)
        {
            await first.WaitForEngineAsync();
            owner = first.CreateUser("restart").Id;
            batchId = first.Get<BatchService>().Create(owner, BatchInputs.Request(), BatchInputs.Images(total)).Id;
            var batches = first.Get<BatchService>();
            await Poll.UntilAsync(() => batches.Progress(owner, batchId)!.Done >= 2);

            // Hold the next answer mid-way (after 3 tokens), so that the stop below interrupts an item for sure.
            var engine = first.Engines.Latest!;
            first.Engines.Behavior.PauseAfterTokens = 3;
            first.Engines.Behavior.Pause = new TaskCompletionSource();
            await UntilStable(() => (engine.Running, engine.Requests.Count - batches.Progress(owner, batchId)!.Done), (1, 1));
            askedFirst = BatchInputs.AskedImages(engine);
        }

        // What the first host finished, read from its data once it has let go of the file.
        HashSet<string> doneByFirst;
        using (var db = new TempDatabase(Path.Combine(folder, "studio.db")))
        {
            var items = new BatchStore(db.Db, TimeProvider.System).Items(owner, batchId);
            Assert.Contains(items, i => i.Status != BatchItemStatus.Done); // it really stopped mid-batch
            Assert.DoesNotContain(items, i => i.Status == BatchItemStatus.Running); // the interrupted item went back
            doneByFirst = items.Where(i => i.Status == BatchItemStatus.Done).Select(i => i.FileName).ToHashSet();
        }

        var second = new StudioFactory(folder, null);
        await using (second)
        {
            await second.WaitForEngineAsync();
            var progress = await BatchInputs.WaitUntilFinishedAsync(second.Get<BatchService>(), owner, batchId);
            var items = second.Get<BatchStore>().Items(owner, batchId);
            var askedSecond = BatchInputs.AskedImages(second.Engines.Latest!);

            Assert.Equal((total, total, 0), (progress.Total, progress.Done, progress.Failed));
            Assert.Equal(total, items.Select(i => i.FileName).Distinct().Count());
            Assert.NotEmpty(askedSecond);
            Assert.Empty(askedSecond.Intersect(doneByFirst)); // nothing finished before the restart ran again
            Assert.Equal(askedSecond.Count, askedSecond.Distinct().Count());
            Assert.Equal(items.Select(i => i.FileName).ToHashSet(), doneByFirst.Concat(askedSecond!).ToHashSet()!);
            Assert.Contains(items, i => i.Attempts == 2 && askedFirst.Contains(i.FileName)); // the interrupted one, resumed
        }
    }

    /// <summary>Waits until <paramref name="read"/> gives <paramref name="expected"/> twice, 400 ms apart (longer than one item).</summary>
    private static async Task UntilStable<T>(Func<T> read, T expected)
    {
        for (var i = 0; i < 50; i++)
        {
            if (Equals(read(), expected))
            {
                await Task.Delay(400);
                if (Equals(read(), expected))
                    return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"never settled at {expected}, last {read()}");
    }
}
