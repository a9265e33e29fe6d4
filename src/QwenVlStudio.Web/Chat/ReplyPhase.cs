namespace QwenVlStudio.Web.Chat;

public enum ReplyPhase
{
    /// <summary>Sent to the scheduler; waiting for a slot (see <see cref="LiveReply.QueuePosition"/>).</summary>
    Queued,

    /// <summary>The engine is producing tokens.</summary>
    Generating,

    /// <summary>Finished normally (end of sequence, stop string or the token limit).</summary>
    Completed,

    /// <summary>Stopped by the user; the text so far is kept.</summary>
    Stopped,

    /// <summary>Refused or failed; <see cref="LiveReply.Error"/> says why.</summary>
    Failed,
}
