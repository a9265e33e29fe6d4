using System.Threading.Channels;

namespace QwenVlStudio.Inference.Generation.Batching;

/// <summary>
/// One sequence in the batching loop: its request and answer, the tokens its KV row holds, and the channel its
/// events stream through to the caller. Touched only by the loop thread once admitted.
/// </summary>
internal sealed class BatchMember
{
    private readonly Channel<GenerationEvent> _events = Channel.CreateUnbounded<GenerationEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int[] _ids;

    public BatchMember(SequenceRequest request, AnswerTracker answer, long arrival, CancellationToken cancellation)
    {
        Request = request;
        Answer = answer;
        Arrival = arrival;
        Cancellation = cancellation;
        _ids = new int[request.Prompt.Ids.Length + Math.Max(answer.Budget, 0)];
    }

    public SequenceRequest Request { get; }
    public AnswerTracker Answer { get; }
    public RequestPriority Priority => Request.Context.Priority;

    /// <summary>Order of arrival: first come, first served within a priority.</summary>
    public long Arrival { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Tokens in this sequence's KV row.</summary>
    public int Length { get; private set; }

    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Length);

    /// <summary>MRoPE rope delta of the prompt: the token at index n decodes at position n + delta.</summary>
    public int RopeDelta => Request.Prompt.Positions.RopeDelta;

    public ChannelReader<GenerationEvent> Events => _events.Reader;

    public void Prefilled()
    {
        Request.Prompt.Ids.CopyTo(_ids, 0);
        Length = Request.Prompt.Ids.Length;
    }

    /// <summary>Records that <see cref="AnswerTracker.LastToken"/> went through the decoder into the KV row.</summary>
    public void Fed() => _ids[Length++] = Answer.LastToken;

    public void Emit(GenerationEvent? e)
    {
        if (e is not null) _events.Writer.TryWrite(e);
    }

    /// <summary>Streams the final event and ends the stream.</summary>
    public void Complete()
    {
        _events.Writer.TryWrite(Answer.Complete());
        _events.Writer.TryComplete();
    }

    /// <summary>Ends the stream with an error the caller's enumeration rethrows.</summary>
    public void Fail(Exception error) => _events.Writer.TryComplete(error);
}
