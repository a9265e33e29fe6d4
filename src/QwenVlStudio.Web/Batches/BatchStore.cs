using LiteDB;
using QwenVlStudio.Web.Data;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// Batches and their items in the app's LiteDB. Methods taking an owner touch only that owner's records (another
/// user's batch behaves as one that does not exist). Every change of an item's status goes through one lock, so a
/// claim, a result and a cancel can never interleave: an item is finished at most once per claim.
/// </summary>
public sealed class BatchStore(StudioDatabase db, TimeProvider clock)
{
    private readonly object _statusGate = new();

    public IReadOnlyList<BatchRecord> List(Guid ownerId) =>
        db.Batches.Find(b => b.OwnerId == ownerId && !b.Incomplete).OrderByDescending(b => b.CreatedUtc).ToList();

    public BatchRecord? Find(Guid ownerId, Guid batchId)
    {
        var batch = db.Batches.FindById(batchId);
        return batch?.OwnerId == ownerId ? batch : null;
    }

    /// <summary>The items of one of the owner's batches, in upload order; empty for someone else's batch.</summary>
    public IReadOnlyList<BatchItemRecord> Items(Guid ownerId, Guid batchId) =>
        Find(ownerId, batchId) is null ? [] : ItemsOf(batchId);

    public BatchItemRecord? FindItem(Guid ownerId, Guid itemId)
    {
        var item = db.BatchItems.FindById(itemId);
        return item?.OwnerId == ownerId ? item : null;
    }

    /// <summary>Stores a new batch; its items follow one by one through <see cref="InsertItem"/>.</summary>
    public void Insert(BatchRecord batch, IReadOnlyList<(BatchItemRecord Item, byte[]? Image)> items)
    {
        db.Batches.Insert(batch);
        foreach (var (item, image) in items)
            InsertItem(batch, item, image);
    }

    /// <summary>Stores one item of <paramref name="batch"/> and, for an accepted item, its image bytes.</summary>
    public void InsertItem(BatchRecord batch, BatchItemRecord item, byte[]? image)
    {
        item.BatchId = batch.Id;
        item.OwnerId = batch.OwnerId;
        item.HasImage = image is not null;
        if (image is not null)
        {
            using var stream = new MemoryStream(image, writable: false);
            db.Files.Upload(item.FileId, item.Id.ToString("N"), stream);
        }

        db.BatchItems.Insert(item);
    }

    public void SetJobId(Guid itemId, string jobId)
    {
        lock (_statusGate)
        {
            var item = db.BatchItems.FindById(itemId);
            if (item is null)
                return;
            item.JobId = jobId;
            db.BatchItems.Update(item);
        }
    }

    public byte[]? ReadImage(BatchItemRecord item)
    {
        if (!item.HasImage || db.Files.FindById(item.FileId) is null)
            return null;
        using var buffer = new MemoryStream((int)Math.Max(item.Length, 0));
        db.Files.Download(item.FileId, buffer);
        return buffer.ToArray();
    }

    public byte[]? ReadThumbnail(BatchItemRecord item)
    {
        if (db.Files.FindById(item.ThumbnailId) is null)
            return null;
        using var buffer = new MemoryStream();
        db.Files.Download(item.ThumbnailId, buffer);
        return buffer.ToArray();
    }

    public void SaveThumbnail(BatchItemRecord item, byte[] jpeg)
    {
        using var stream = new MemoryStream(jpeg, writable: false);
        db.Files.Upload(item.ThumbnailId, item.Id.ToString("N") + ".jpg", stream);
    }

    /// <summary>
    /// Claims an item for processing: a pending item, or one left "running" by a process that has ended (the
    /// caller guarantees no worker of this process holds it). Null when the item is gone, final, or its batch is
    /// cancelled.
    /// </summary>
    public BatchItemRecord? TryClaim(Guid itemId)
    {
        lock (_statusGate)
        {
            var item = db.BatchItems.FindById(itemId);
            if (item is null || item.Status.IsFinal())
                return null;
            var batch = db.Batches.FindById(item.BatchId);
            if (batch is null || batch.CancelledUtc is not null)
                return null;
            item.Status = BatchItemStatus.Running;
            item.StartedUtc = clock.GetUtcNow().UtcDateTime;
            item.FinishedUtc = null;
            item.Attempts++;
            db.BatchItems.Update(item);
            return item;
        }
    }

    /// <summary>Writes the outcome of a claimed item. False (and nothing written) when it is no longer running.</summary>
    public bool Finish(Guid itemId, BatchItemOutcome outcome)
    {
        lock (_statusGate)
        {
            var item = db.BatchItems.FindById(itemId);
            if (item is null || item.Status != BatchItemStatus.Running)
                return false;
            var now = clock.GetUtcNow().UtcDateTime;
            item.Status = outcome.Status;
            item.Answer = outcome.Answer;
            item.Error = outcome.Error;
            item.FinishReason = outcome.FinishReason;
            item.QueueMs = outcome.QueueMs;
            var stats = outcome.Stats;
            item.PromptTokens = stats?.PromptTokens ?? 0;
            item.GeneratedTokens = stats?.GeneratedTokens ?? 0;
            item.VisionMs = stats?.VisionMs ?? 0;
            item.PrefillMs = stats?.PrefillMs ?? 0;
            item.TimeToFirstTokenMs = stats?.TimeToFirstTokenMs ?? 0;
            item.DecodeMs = stats?.DecodeMs ?? 0;
            item.FinishedUtc = now;
            item.TotalMs = item.StartedUtc is { } started ? (now - started).TotalMilliseconds : 0;
            return db.BatchItems.Update(item);
        }
    }

    /// <summary>Puts a running item back to pending (its worker is stopping with the server); false if not running.</summary>
    public bool Release(Guid itemId)
    {
        lock (_statusGate)
        {
            var item = db.BatchItems.FindById(itemId);
            if (item is null || item.Status != BatchItemStatus.Running)
                return false;
            item.Status = BatchItemStatus.Pending;
            item.StartedUtc = null;
            return db.BatchItems.Update(item);
        }
    }

    /// <summary>
    /// Marks the batch cancelled and its waiting items cancelled: pending ones, and "running" ones that no worker of
    /// this process holds (left over by a process that ended). Returns those items (their jobs can be deleted);
    /// items held by a worker are stopped by it, and it finishes them as cancelled.
    /// </summary>
    public IReadOnlyList<BatchItemRecord>? Cancel(Guid ownerId, Guid batchId, Func<Guid, bool> isHeldByWorker)
    {
        lock (_statusGate)
        {
            var batch = Find(ownerId, batchId);
            if (batch is null)
                return null;
            var now = clock.GetUtcNow().UtcDateTime;
            batch.CancelledUtc ??= now;
            db.Batches.Update(batch);
            var pending = ItemsOf(batchId)
                .Where(i => i.Status == BatchItemStatus.Pending || (i.Status == BatchItemStatus.Running && !isHeldByWorker(i.Id)))
                .ToList();
            foreach (var item in pending)
            {
                item.Status = BatchItemStatus.Cancelled;
                item.Error = "Cancelled before it started.";
                item.FinishedUtc = now;
            }

            db.BatchItems.Update(pending);
            return pending;
        }
    }

    /// <summary>
    /// Puts failed and cancelled items that still have their image back to pending and lifts a cancel. Returns the
    /// items to enqueue again (null for someone else's batch).
    /// </summary>
    public IReadOnlyList<BatchItemRecord>? ResetForRetry(Guid ownerId, Guid batchId)
    {
        lock (_statusGate)
        {
            var batch = Find(ownerId, batchId);
            if (batch is null)
                return null;
            batch.CancelledUtc = null;
            db.Batches.Update(batch);
            var again = ItemsOf(batchId)
                .Where(i => i.HasImage && i.Status is BatchItemStatus.Failed or BatchItemStatus.Cancelled)
                .ToList();
            foreach (var item in again)
            {
                item.Status = BatchItemStatus.Pending;
                item.Answer = null;
                item.Error = null;
                item.FinishReason = null;
                item.StartedUtc = null;
                item.FinishedUtc = null;
            }

            db.BatchItems.Update(again);
            return again;
        }
    }

    /// <summary>Deletes the batch, its items, their images and thumbnails. False for someone else's batch.</summary>
    public bool Delete(Guid ownerId, Guid batchId)
    {
        lock (_statusGate)
        {
            if (Find(ownerId, batchId) is null)
                return false;
            foreach (var item in ItemsOf(batchId))
            {
                db.Files.Delete(item.FileId);
                db.Files.Delete(item.ThumbnailId);
            }

            db.BatchItems.DeleteMany(i => i.BatchId == batchId);
            return db.Batches.Delete(batchId);
        }
    }

    /// <summary>Items of every batch that still need a worker (pending, or running when the process stopped).</summary>
    public IReadOnlyList<BatchItemRecord> Unfinished()
    {
        var incomplete = db.Batches.Find(b => b.Incomplete).Select(b => b.Id).ToHashSet();
        return db.BatchItems.Find(Query.Or(
            Query.EQ(nameof(BatchItemRecord.Status), BatchItemStatus.Pending.ToString()),
            Query.EQ(nameof(BatchItemRecord.Status), BatchItemStatus.Running.ToString())))
            .Where(i => !incomplete.Contains(i.BatchId)).ToList();
    }

    /// <summary>Marks a batch whose files are all stored as complete: it is listed and its items may run.</summary>
    public void MarkComplete(BatchRecord batch)
    {
        batch.Incomplete = false;
        db.Batches.Update(batch);
    }

    public BatchRecord? FindBatch(Guid batchId) => db.Batches.FindById(batchId);

    public BatchItemRecord? FindItem(Guid itemId) => db.BatchItems.FindById(itemId);

    private List<BatchItemRecord> ItemsOf(Guid batchId) =>
        db.BatchItems.Find(i => i.BatchId == batchId).OrderBy(i => i.Index).ToList();
}
