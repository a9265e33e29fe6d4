using QwenVlStudio.Web.Batches;
using QwenVlStudio.Web.Tests.Support;

namespace QwenVlStudio.Web.Tests.Batches;

public sealed class BatchStoreFacts : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly BatchStore _store;
    private readonly Guid _owner = Guid.NewGuid();

    public BatchStoreFacts() => _store = new BatchStore(_db.Db, TimeProvider.System);

    public void Dispose() => _db.Dispose();

    private (BatchRecord Batch, List<BatchItemRecord> Items) NewBatch(int images, int refused = 0, Guid? owner = null)
    {
        var batch = new BatchRecord { Id = Guid.NewGuid(), OwnerId = owner ?? _owner, Name = "b", Prompt = "p", CreatedUtc = DateTime.UtcNow };
        var items = Enumerable.Range(0, images + refused).Select(i => (
            new BatchItemRecord
            {
                Id = Guid.NewGuid(), Index = i, FileName = $"{i}.png",
                Status = i < images ? BatchItemStatus.Pending : BatchItemStatus.Failed,
                Error = i < images ? null : "not an image",
            },
            i < images ? TestImages.Png() : null)).ToList();
        _store.Insert(batch, items);
        return (batch, items.Select(i => i.Item1).ToList());
    }

    [Fact]
    public void IncompleteBatch_IsNeitherListedNorResumed_UntilMarkedComplete()
    {
        // Issue 15 item 6: a creation that failed half-way (a full disk) must leave nothing that shows or runs.
        var (batch, items) = NewBatch(2);
        batch.Incomplete = true;
        _db.Db.Batches.Update(batch);

        Assert.Empty(_store.List(_owner));
        Assert.DoesNotContain(_store.Unfinished(), i => i.BatchId == batch.Id);

        _store.MarkComplete(batch);

        Assert.Single(_store.List(_owner));
        Assert.Equal(items.Select(i => i.Id).Order(), _store.Unfinished().Where(i => i.BatchId == batch.Id).Select(i => i.Id).Order());
    }

    [Fact]
    public void TryClaim_ThenFinish_WritesTheResultOnce()
    {
        var (_, items) = NewBatch(1);
        var id = items[0].Id;

        Assert.NotNull(_store.TryClaim(id));
        Assert.True(_store.Finish(id, BatchItemOutcome.Failed("first")));
        Assert.False(_store.Finish(id, BatchItemOutcome.Failed("second")));
        Assert.Null(_store.TryClaim(id)); // final: a second job for it does nothing

        var stored = _store.FindItem(id)!;
        Assert.Equal(BatchItemStatus.Failed, stored.Status);
        Assert.Equal("first", stored.Error);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public void TryClaim_TakesAStaleRunningItem_AndCountsTheAttempt()
    {
        var (_, items) = NewBatch(1);
        var id = items[0].Id;
        _store.TryClaim(id); // a process claimed it, then died

        var again = _store.TryClaim(id);

        Assert.NotNull(again);
        Assert.Equal(2, again.Attempts);
        Assert.Equal(BatchItemStatus.Running, _store.FindItem(id)!.Status);
    }

    [Fact]
    public void Release_PutsARunningItemBackToPending()
    {
        var (_, items) = NewBatch(1);
        _store.TryClaim(items[0].Id);

        Assert.True(_store.Release(items[0].Id));

        Assert.Equal(BatchItemStatus.Pending, _store.FindItem(items[0].Id)!.Status);
        Assert.False(_store.Release(items[0].Id));
    }

    [Fact]
    public void Cancel_DropsWaitingItems_LeavesHeldOnesToTheirWorker_AndBlocksClaims()
    {
        var (batch, items) = NewBatch(4);
        _store.TryClaim(items[0].Id); // held by a worker of this process
        _store.TryClaim(items[1].Id); // "running" but nobody holds it (left by a dead process)
        _store.TryClaim(items[2].Id);
        _store.Finish(items[2].Id, BatchItemOutcome.Failed("x"));

        var dropped = _store.Cancel(_owner, batch.Id, id => id == items[0].Id)!;

        Assert.Equal(new[] { items[1].Id, items[3].Id }.ToHashSet(), dropped.Select(i => i.Id).ToHashSet());
        Assert.Equal(BatchItemStatus.Running, _store.FindItem(items[0].Id)!.Status);
        Assert.Equal(BatchItemStatus.Cancelled, _store.FindItem(items[3].Id)!.Status);
        Assert.Equal(BatchItemStatus.Failed, _store.FindItem(items[2].Id)!.Status);
        Assert.NotNull(_store.Find(_owner, batch.Id)!.CancelledUtc);
        Assert.True(_store.Finish(items[0].Id, BatchItemOutcome.Cancelled("stopped")));
    }

    [Fact]
    public void ResetForRetry_RequeuesFailedAndCancelledItemsWithImages_Only()
    {
        var (batch, items) = NewBatch(3, refused: 1);
        _store.TryClaim(items[0].Id);
        _store.Finish(items[0].Id, BatchItemOutcome.Done("ok", new(), Inference.Generation.FinishReason.Stop, 0));
        _store.TryClaim(items[1].Id);
        _store.Finish(items[1].Id, BatchItemOutcome.Failed("engine said no"));
        _store.Cancel(_owner, batch.Id, _ => false);

        var again = _store.ResetForRetry(_owner, batch.Id)!;

        Assert.Equal(new[] { items[1].Id, items[2].Id }.ToHashSet(), again.Select(i => i.Id).ToHashSet());
        Assert.All(again, i => Assert.Equal(BatchItemStatus.Pending, _store.FindItem(i.Id)!.Status));
        Assert.Null(_store.FindItem(items[1].Id)!.Error);
        Assert.Equal(BatchItemStatus.Done, _store.FindItem(items[0].Id)!.Status);
        Assert.Equal(BatchItemStatus.Failed, _store.FindItem(items[3].Id)!.Status); // refused at upload: no image to retry
        Assert.Null(_store.Find(_owner, batch.Id)!.CancelledUtc);
    }

    [Fact]
    public void EveryOwnerMethod_TreatsAnotherUsersBatchAsMissing()
    {
        var (batch, items) = NewBatch(2);
        var stranger = Guid.NewGuid();

        Assert.Null(_store.Find(stranger, batch.Id));
        Assert.Empty(_store.Items(stranger, batch.Id));
        Assert.Null(_store.FindItem(stranger, items[0].Id));
        Assert.Null(_store.Cancel(stranger, batch.Id, _ => false));
        Assert.Null(_store.ResetForRetry(stranger, batch.Id));
        Assert.False(_store.Delete(stranger, batch.Id));
        Assert.Empty(_store.List(stranger));
        Assert.Single(_store.List(_owner));
        Assert.Equal(BatchItemStatus.Pending, _store.FindItem(items[0].Id)!.Status);
    }

    [Fact]
    public void Delete_RemovesItemsImagesAndThumbnails()
    {
        var (batch, items) = NewBatch(2);
        _store.SaveThumbnail(items[0], [1, 2, 3]);
        Assert.NotNull(_store.ReadImage(_store.FindItem(items[0].Id)!));

        Assert.True(_store.Delete(_owner, batch.Id));

        Assert.Null(_store.Find(_owner, batch.Id));
        Assert.Null(_store.FindItem(items[0].Id));
        Assert.Null(_db.Db.Files.FindById(items[0].FileId));
        Assert.Null(_db.Db.Files.FindById(items[0].ThumbnailId));
        Assert.Empty(_store.Unfinished());
    }

    [Fact]
    public void Unfinished_ListsPendingAndRunningItems_OfAllBatches()
    {
        var (_, first) = NewBatch(2, refused: 1);
        var (_, second) = NewBatch(1, owner: Guid.NewGuid());
        _store.TryClaim(first[0].Id);

        var unfinished = _store.Unfinished().Select(i => i.Id).ToHashSet();

        Assert.Equal(new[] { first[0].Id, first[1].Id, second[0].Id }.ToHashSet(), unfinished);
    }
}
