namespace QwenVlStudio.Inference.Generation.Engine;

/// <summary>
/// Runs the vision stage of newcomers (encoding their images, or taking them from the vision cache) on the thread
/// pool, at most <see cref="Concurrency"/> at once, so the engine loop's thread keeps decoding meanwhile. The
/// semaphore is never disposed: a vision task may still release it after the engine was unloaded.
/// </summary>
internal sealed class VisionWorker(int concurrency)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public int Concurrency { get; } = concurrency;

    /// <summary>Starts <paramref name="work"/> once a slot is free; the task ends cancelled if the caller gives up first.</summary>
    public Task<PreparedPrompt> Run(Func<CancellationToken, PreparedPrompt> work, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return work(cancellationToken);
            }
            finally
            {
                _slots.Release();
            }
        }, cancellationToken);
}
