using System.Diagnostics;
using System.Text;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Imaging;
using QwenVlStudio.Web.Engine;
using QwenVlStudio.Web.Uploads;

namespace QwenVlStudio.Web.Batches.Jobs;

/// <summary>
/// Answers one batch item through the shared engine at batch priority: chat messages waiting for a slot are
/// admitted first. Problems of the item itself (an image that does not decode, a prompt the model cannot take, an
/// answer that is not the JSON asked for) become a failed outcome with the reason; a full queue or a model still
/// loading is waited out. Cancellation is passed on as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class BatchItemProcessor(EngineService engine, EngineGovernor governor, TimeProvider clock)
{
    /// <summary>How long to wait before asking again when the batch queue is full or the model is (re)loading.</summary>
    public static readonly TimeSpan EngineRetryInterval = TimeSpan.FromMilliseconds(500);

    public async Task<BatchItemOutcome> ProcessAsync(BatchRecord batch, BatchItemRecord item, byte[] image, CancellationToken cancellationToken)
    {
        if (DecodeProblem(image) is { } problem)
            return BatchItemOutcome.Failed(problem);

        var messages = BatchPrompt.Build(batch, image, item.FileName);
        var options = batch.Settings.ToGenerationOptions();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await GenerateAsync(batch, messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineBusyException)
            {
                // The batch queue is full (other workers' items wait for a slot): this item waits its turn too.
                await Task.Delay(EngineRetryInterval, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineUnavailableException ex) when (ex.State is EngineState.Loading or EngineState.Reloading)
            {
                await Task.Delay(EngineRetryInterval, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineUnavailableException ex)
            {
                return BatchItemOutcome.Failed(ex.Message);
            }
            catch (QwenVlException ex)
            {
                return BatchItemOutcome.Failed(EngineMessage.AsSentence(ex.Message));
            }
        }
    }

    /// <summary>Decodes the whole image with the engine's own decoder: a truncated or corrupt file fails here.</summary>
    private string? DecodeProblem(byte[] image)
    {
        var decoder = new ImageDecoder(new ImagePreprocessorOptions { MaxDecodedPixels = governor.Current.MaxImagePixels });
        try
        {
            decoder.Decode(image);
            return null;
        }
        catch (ImageRejectedException ex)
        {
            return EngineMessage.AsSentence(ex.Message);
        }
    }

    private async Task<BatchItemOutcome> GenerateAsync(
        BatchRecord batch, IReadOnlyList<ChatMessage> messages, GenerationOptions options, CancellationToken cancellationToken)
    {
        var queuedAt = Stopwatch.GetTimestamp();
        double queueMs = 0;
        var text = new StringBuilder();
        GenerationEvent? last = null;
        await foreach (var update in engine.GenerateAsync(messages, options, WorkPriority.Batch, batch.OwnerId.ToString("N"), cancellationToken).ConfigureAwait(false))
        {
            switch (update)
            {
                case StartedUpdate:
                    queueMs = Stopwatch.GetElapsedTime(queuedAt).TotalMilliseconds;
                    break;
                case TokenUpdate token:
                    text.Append(token.Event.TextDelta);
                    last = token.Event;
                    break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (last?.FinishReason is not { } reason || reason == FinishReason.Cancelled)
            return BatchItemOutcome.Failed("The engine ended the answer before it was complete.", text.ToString(), last?.Stats, last?.FinishReason, queueMs);

        var answer = text.ToString();
        if (batch.OutputFormat == BatchOutputFormat.Json)
        {
            var json = JsonAnswer.Extract(answer, out var error);
            if (json is null)
                return BatchItemOutcome.Failed(error!, answer, last.Stats, reason, queueMs);
            answer = json;
        }

        return BatchItemOutcome.Done(answer, last.Stats, reason, queueMs);
    }
}
