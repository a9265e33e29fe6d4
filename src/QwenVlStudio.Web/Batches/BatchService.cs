using Microsoft.Extensions.Options;
using QwenVlStudio.Web.Batches.Jobs;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Batches;

/// <summary>
/// What a user does with batches: create (store every file, enqueue one job per image), cancel, retry the failed
/// items, delete. Bad files do not stop a batch: each becomes a failed item with the reason.
/// </summary>
public sealed class BatchService(
    BatchStore store,
    BatchJobQueue queue,
    RunningItems running,
    BatchEvents events,
    EngineGovernor governor,
    IOptions<BatchOptions> batchOptions,
    IOptions<UploadOptions> uploadOptions,
    TimeProvider clock,
    Microsoft.Extensions.Logging.ILogger<BatchService>? logger = null)
{
    /// <exception cref="BatchValidationException">No files, too many, an empty or over-long prompt, or invalid settings.</exception>
    public BatchRecord Create(Guid ownerId, BatchRequest request, IReadOnlyList<BatchInput> inputs)
    {
        Validate(request, inputs);
        var now = clock.GetUtcNow().UtcDateTime;
        var batch = new BatchRecord
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            Name = NameOf(request, inputs),
            Prompt = request.Prompt.Trim(),
            SystemPrompt = string.IsNullOrWhiteSpace(request.SystemPrompt) ? null : request.SystemPrompt.Trim(),
            OutputFormat = request.OutputFormat,
            JsonSchema = string.IsNullOrWhiteSpace(request.JsonSchema) ? null : request.JsonSchema.Trim(),
            Settings = request.Settings,
            CreatedUtc = now,
            Total = inputs.Count,
            Incomplete = true,
        };
        // All or nothing: every file is stored (one at a time, so the batch never sits in memory whole) before any
        // job is queued; if storing or queuing fails (a full disk) the batch is removed again, never left half made.
        var pending = new List<Guid>();
        try
        {
            store.Insert(batch, []);
            for (var index = 0; index < inputs.Count; index++)
            {
                var (item, image) = Prepare(inputs[index], index, now);
                store.InsertItem(batch, item, image);
                if (item.Status == BatchItemStatus.Pending)
                    pending.Add(item.Id);
            }
            store.MarkComplete(batch);
            foreach (var itemId in pending)
                queue.Enqueue(itemId);
        }
        catch (Exception e) when (Web.Hosting.DiskFull.Is(e) || e is LiteDB.LiteException or IOException)
        {
            Undo(ownerId, batch.Id);
            if (Web.Hosting.DiskFull.Is(e))
                throw new BatchValidationException(
                    "The server's disk is full, so the batch was not created (nothing of it was kept). Free some space, or ask the administrator to, then submit it again.", e);
            throw;
        }

        events.Raise(batch.Id, ownerId);
        return batch;
    }

    /// <summary>Removes a batch whose creation failed: its queued jobs, items and images.</summary>
    private void Undo(Guid ownerId, Guid batchId)
    {
        try
        {
            Cancel(ownerId, batchId);
            store.Delete(ownerId, batchId);
        }
        catch (Exception cleanup) when (Web.Hosting.DiskFull.Is(cleanup) || cleanup is LiteDB.LiteException or IOException)
        {
            // Still no space even to delete: logged for the operator; the caller sees the first error.
            if (logger is not null)
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, cleanup, "Removing the half-created batch {Batch} failed", batchId);
        }
    }

    public BatchProgress? Progress(Guid ownerId, Guid batchId)
    {
        var batch = store.Find(ownerId, batchId);
        return batch is null ? null : BatchProgress.Of(batch, store.Items(ownerId, batchId), clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Drops the waiting items and stops the running ones. False for someone else's batch.</summary>
    public bool Cancel(Guid ownerId, Guid batchId)
    {
        var dropped = store.Cancel(ownerId, batchId, running.IsRunning);
        if (dropped is null)
            return false;
        foreach (var item in dropped)
            queue.Delete(item.JobId);
        running.CancelBatch(batchId);
        events.Raise(batchId, ownerId);
        return true;
    }

    /// <summary>Queues the failed and cancelled items again; returns how many (null for someone else's batch).</summary>
    public int? RetryFailed(Guid ownerId, Guid batchId)
    {
        var again = store.ResetForRetry(ownerId, batchId);
        if (again is null)
            return null;
        foreach (var item in again)
            queue.Enqueue(item.Id);
        events.Raise(batchId, ownerId);
        return again.Count;
    }

    /// <summary>Cancels the batch, then deletes it with its images and results. False for someone else's batch.</summary>
    public bool Delete(Guid ownerId, Guid batchId)
    {
        if (!Cancel(ownerId, batchId))
            return false;
        var deleted = store.Delete(ownerId, batchId);
        events.Raise(batchId, ownerId);
        return deleted;
    }

    private void Validate(BatchRequest request, IReadOnlyList<BatchInput> inputs)
    {
        var limits = batchOptions.Value;
        if (inputs.Count == 0)
            throw new BatchValidationException("Add at least one image (or a .zip of images).");
        if (inputs.Count > limits.MaxFiles)
            throw new BatchValidationException($"A batch can have at most {limits.MaxFiles:N0} files; this one has {inputs.Count:N0}.");
        if (string.IsNullOrWhiteSpace(request.Prompt))
            throw new BatchValidationException("Write the prompt that every image is asked.");
        if (request.Prompt.Trim().Length > limits.MaxPromptLength)
            throw new BatchValidationException($"The prompt can have at most {limits.MaxPromptLength:N0} characters.");
        if ((request.SystemPrompt?.Trim().Length ?? 0) > limits.MaxPromptLength)
            throw new BatchValidationException($"The system prompt can have at most {limits.MaxPromptLength:N0} characters.");
        if (Inference.Text.UnicodeText.Problem(request.Prompt) is { } promptProblem)
            throw new BatchValidationException($"The prompt {promptProblem}; remove that character and submit again.");
        if (request.SystemPrompt is { } system && Inference.Text.UnicodeText.Problem(system) is { } systemProblem)
            throw new BatchValidationException($"The system prompt {systemProblem}; remove that character and submit again.");
        if (!string.IsNullOrWhiteSpace(request.JsonSchema))
        {
            if (request.OutputFormat != BatchOutputFormat.Json)
                throw new BatchValidationException("A JSON schema needs the JSON answer format.");
            if (BatchJsonConstraints.Problem(request.JsonSchema) is { } problem)
                throw new BatchValidationException(problem);
        }
        var settingErrors = request.Settings.Validate();
        if (settingErrors.Count > 0)
            throw new BatchValidationException(string.Join(" ", settingErrors));
    }

    private (BatchItemRecord Item, byte[]? Image) Prepare(BatchInput input, int index, DateTime now)
    {
        var item = new BatchItemRecord { Id = Guid.NewGuid(), Index = index, FileName = input.FileName, Status = BatchItemStatus.Pending };
        var (bytes, refusal) = Read(input);
        if (bytes is not null)
        {
            var check = ImageUploadValidator.Check(bytes, uploadOptions.Value.MaxBytes, governor.Current.MaxImagePixels);
            if (check.Info is { } info)
            {
                item.ContentType = info.ContentType;
                item.Width = info.Width;
                item.Height = info.Height;
                item.Length = bytes.Length;
                return (item, bytes);
            }

            refusal = check.Error;
        }

        item.Status = BatchItemStatus.Failed;
        item.Error = refusal;
        item.FinishedUtc = now;
        return (item, null);
    }

    /// <summary>The input's bytes, read no further than the upload limit; or why there are none.</summary>
    private (byte[]? Bytes, string? Refusal) Read(BatchInput input)
    {
        if (input.Refusal is not null || input.Open is null)
            return (null, input.Refusal ?? "The file could not be read.");
        var maxBytes = uploadOptions.Value.MaxBytes;
        try
        {
            using var stream = input.Open();
            using var buffer = new MemoryStream();
            var chunk = new byte[81_920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    return (null, $"The file is over the {ImageUploadValidator.FormatBytes(maxBytes)} limit per image.");
                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (IOException ex)
        {
            return (null, $"The file could not be read: {ex.Message}");
        }
    }

    private static string NameOf(BatchRequest request, IReadOnlyList<BatchInput> inputs)
    {
        var name = request.Name?.Trim();
        if (!string.IsNullOrEmpty(name))
            return name.Length <= 120 ? name : name[..120];
        var first = inputs[0].FileName;
        return inputs.Count == 1 ? first : $"{first} and {inputs.Count - 1:N0} more";
    }
}
