using System.Threading.Channels;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Onnx;

namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>
/// One request in the engine loop, from the queue to its last event: its stage, its answer, its row in the
/// decode batch, and the channel its events stream through to the caller. Touched by the loop thread once
/// admitted (the queue and <see cref="Stage"/> changes are made under the loop's lock).
/// </summary>
internal sealed class EngineSequence(EngineSubmission submission, long arrival, CancellationToken cancellation)
{
    private readonly Channel<GenerationEvent> _events = Channel.CreateUnbounded<GenerationEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public EngineSubmission Submission { get; } = submission;

    public RequestPriority Priority => Submission.Context.Priority;

    /// <summary>Order of arrival: first come, first served within a priority.</summary>
    public long Arrival { get; } = arrival;

    public CancellationToken Cancellation { get; } = cancellation;

    public SequenceStage Stage { get; set; } = SequenceStage.Queued;

    /// <summary>Whether the <see cref="GenerationEvent.Started"/> event was sent (once, at first admission).</summary>
    public bool HasStarted { get; set; }

    /// <summary>The prompt once known (at submission, or when the vision stage finished).</summary>
    public PreparedPrompt? Prompt { get; set; } = submission.Prompt;

    public Task<PreparedPrompt>? Vision { get; set; }

    public AnswerTracker? Answer { get; set; }

    public DecodeRow? Row { get; set; }

    /// <summary>KV of a preempted sequence (its prompt and the answer tokens fed so far), held until it resumes.</summary>
    public KvCache? SuspendedKv { get; set; }

    /// <summary>The tokens <see cref="SuspendedKv"/> holds.</summary>
    public int[]? SuspendedIds { get; set; }

    /// <summary>Whether the sequence ran before (it was preempted): its prefill statistics are already set.</summary>
    public bool Resumed { get; set; }

    public long PrefillStart { get; set; }

    public int ReusedTokens { get; set; }

    public ChannelReader<GenerationEvent> Events => _events.Reader;

    public void Emit(GenerationEvent? e)
    {
        if (e is not null) _events.Writer.TryWrite(e);
    }

    /// <summary>Streams the final event (the answer's, or a bare Cancelled one before any answer) and ends the stream.</summary>
    public void Complete()
    {
        Stage = SequenceStage.Done;
        DropSuspended();
        if (Answer is { } answer)
        {
            _events.Writer.TryWrite(answer.Complete());
        }
        else
        {
            var stats = new GenerationStats { PromptTokens = Prompt?.Ids.Length ?? 0, ImageCount = Prompt?.Images.Count ?? 0 };
            _events.Writer.TryWrite(new GenerationEvent(null, "", stats, FinishReason.Cancelled));
        }
        _events.Writer.TryComplete();
    }

    /// <summary>Ends the stream with an error the caller's enumeration rethrows.</summary>
    public void Fail(Exception error)
    {
        Stage = SequenceStage.Done;
        DropSuspended();
        _events.Writer.TryComplete(error);
    }

    private void DropSuspended()
    {
        SuspendedKv?.Dispose();
        SuspendedKv = null;
        SuspendedIds = null;
    }
}
