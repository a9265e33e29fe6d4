using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Chat;

/// <summary>
/// An answer while it is being produced: the UI renders it and re-renders on <see cref="Changed"/>, which is raised
/// from the generating task's thread for every queue move and every token.
/// </summary>
public sealed class LiveReply(Guid messageId)
{
    // Appended on the generating thread and read by the renderer: an immutable string swapped atomically.
    private string _text = "";

    public Guid MessageId { get; } = messageId;

    public ReplyPhase Phase { get; private set; } = ReplyPhase.Queued;

    /// <summary>1 = next in line; null once generation started (or when it never had to wait).</summary>
    public int? QueuePosition { get; private set; }

    public string Text => Volatile.Read(ref _text);

    /// <summary>Token events received, the final one excluded.</summary>
    public int TokenEvents { get; private set; }

    public GenerationStats? Stats { get; private set; }

    public FinishReason? FinishReason { get; private set; }

    public string? Error { get; private set; }

    public bool IsActive => Phase is ReplyPhase.Queued or ReplyPhase.Generating;

    public event Action? Changed;

    public void Queued(int position)
    {
        QueuePosition = position;
        Raise();
    }

    public void Started()
    {
        QueuePosition = null;
        Phase = ReplyPhase.Generating;
        Raise();
    }

    public void Add(GenerationEvent evt)
    {
        Volatile.Write(ref _text, _text + evt.TextDelta);
        Stats = evt.Stats;
        if (evt.IsFinal)
        {
            FinishReason = evt.FinishReason;
            Phase = evt.FinishReason == Inference.Generation.FinishReason.Cancelled ? ReplyPhase.Stopped : ReplyPhase.Completed;
        }
        else
        {
            TokenEvents++;
        }

        Raise();
    }

    public void Stop()
    {
        QueuePosition = null;
        FinishReason = Inference.Generation.FinishReason.Cancelled;
        Phase = ReplyPhase.Stopped;
        Raise();
    }

    public void Fail(string error)
    {
        QueuePosition = null;
        Error = error;
        Phase = ReplyPhase.Failed;
        Raise();
    }

    private void Raise() => Changed?.Invoke();
}
