namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>Where a request is in the engine loop.</summary>
internal enum SequenceStage
{
    /// <summary>In the queue (new, or preempted and waiting to resume).</summary>
    Queued,

    /// <summary>Admitted; its images are being encoded off the loop thread.</summary>
    Vision,

    /// <summary>Has a row; its prompt is going in chunk by chunk.</summary>
    Prefill,

    /// <summary>Prefilled; gets one token per loop turn.</summary>
    Decode,

    /// <summary>Its stream has ended.</summary>
    Done,
}
