using System.Runtime.CompilerServices;
using System.Threading.Channels;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Engine;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// A deterministic stand-in for the ONNX engine: streams <see cref="FakeEngineBehavior.TokensFor"/> words, one per
/// <see cref="FakeEngineBehavior.TokenDelay"/>, and honours the engine contract (bad input throws before any token,
/// cancellation ends with <see cref="FinishReason.Cancelled"/>). Optional gates let tests hold a step so that they
/// can observe the queue while a sequence is "computing". Admission goes through the engine's own
/// <see cref="EngineRequestQueue{T}"/> with <see cref="ModelLoadOptions.MaxRunningSequences"/> slots, so the host sees
/// the real queue events (Queued positions, Started), priorities and busy rule.
/// </summary>
public sealed class FakeEngine(FakeEngineBehavior behavior, ModelLoadOptions settings) : IGenerationEngine, IEngineStatistics, IDisposable
{
    private readonly object _gate = new();
    private readonly EngineRequestQueue<Channel<int>> _queue = new(settings.MaxQueueLength);
    private int _running;
    private int _admitted;

    public ModelLoadOptions Settings { get; } = settings;

    public EngineLoad CurrentLoad
    {
        get
        {
            lock (_gate)
                return new EngineLoad(_admitted, Settings.MaxRunningSequences, _queue.CountOf(RequestPriority.Interactive),
                    _queue.CountOf(RequestPriority.Batch), Settings.MaxQueueLength);
        }
    }

    public string ModelName => "fake-tiny";

    public int ContextLength => behavior.ContextLength;

    public bool IsDisposed { get; private set; }

    /// <summary>Sequences inside <see cref="GenerateAsync(IReadOnlyList{ChatMessage}, GenerationOptions, CancellationToken)"/> right now.</summary>
    public int Running => Volatile.Read(ref _running);

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    /// <summary>The options of each request, in the order of <see cref="Requests"/>.</summary>
    public List<GenerationOptions> Options { get; } = [];

    /// <summary>The priority and owner of each request that came with a context, in order.</summary>
    public List<RequestContext> Contexts { get; } = [];

    public EngineStatistics Statistics =>
        behavior.Statistics ?? new EngineStatistics(CacheStats.Disabled, CacheStats.Disabled, 0, Settings.MaxBatchSize, 0, 0);

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        CancellationToken cancellationToken = default) => GenerateAsync(messages, options, RequestContext.Default, cancellationToken);

    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        GenerationOptionsValidator.Validate(options);
        if (messages.Count == 0 || messages[^1].Role != ChatRole.User)
            throw new InvalidPromptException("The conversation must end with a user message.");
        var lastText = string.Concat(messages[^1].Content.OfType<TextContent>().Select(t => t.Text));
        if (lastText.Contains("[reject]", StringComparison.Ordinal))
            throw new InvalidPromptException("The fake engine rejects this prompt.");

        // Admission as the engine core does it: a free slot at once, else the queue (busy when full) until one frees.
        var waiter = Admit(context.Priority);
        if (waiter is not null)
        {
            await using var leave = cancellationToken.Register(() => Leave(waiter));
            int signal;
            while ((signal = await waiter.Reader.ReadAsync(CancellationToken.None)) > 0)
                yield return GenerationEvent.Queued(signal);
            if (signal < 0)
            {
                yield return new GenerationEvent(null, "", new GenerationStats(), FinishReason.Cancelled);
                yield break;
            }
        }
        lock (Contexts)
            Contexts.Add(context);
        lock (Requests)
        {
            Requests.Add(messages);
            Options.Add(options);
        }
        Interlocked.Increment(ref _running);
        try
        {
            yield return GenerationEvent.Started(); // inside the try: a caller that leaves here frees the slot too
            var images = messages.Sum(m => m.Images.Count());
            var promptTokens = messages.Sum(m => m.Content.OfType<TextContent>().Sum(t => t.Text.Length / 4 + 1) + m.Images.Count() * 16);
            var total = Math.Min(behavior.TokensFor(lastText), options.MaxNewTokens);
            var stats = new GenerationStats { PromptTokens = promptTokens, ImageCount = images, VisionMs = images * 3 };
            if (behavior.HoldFirstStep is { } hold)
                await hold.Task.ConfigureAwait(false); // deliberately not cancellable: a long native step
            for (var i = 0; i < total; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    yield return new GenerationEvent(null, "", stats, FinishReason.Cancelled);
                    yield break;
                }

                try
                {
                    await Task.Delay(behavior.TokenDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The real engine checks the token between steps and reports Cancelled; so does the fake.
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    yield return new GenerationEvent(null, "", stats, FinishReason.Cancelled);
                    yield break;
                }

                stats = stats with
                {
                    GeneratedTokens = i + 1,
                    TimeToFirstTokenMs = i == 0 ? 10 : stats.TimeToFirstTokenMs,
                    DecodeMs = i * behavior.TokenDelay.TotalMilliseconds,
                };
                yield return new GenerationEvent(1000 + i, FakeEngineBehavior.Word(i), stats);
                if (behavior.Pause is { } pause && i + 1 == behavior.PauseAfterTokens)
                    await pause.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            yield return new GenerationEvent(null, "", stats, FinishReason.Length);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Release();
        }
    }

    /// <summary>Null: a slot was free. Else the waiter's signals: positions (&gt; 0), then 0 admitted or −1 cancelled.</summary>
    private Channel<int>? Admit(RequestPriority priority)
    {
        lock (_gate)
        {
            if (_admitted < Settings.MaxRunningSequences && _queue.Count == 0)
            {
                _admitted++;
                return null;
            }
            var waiter = Channel.CreateUnbounded<int>();
            _queue.Enqueue(waiter, priority);
            ReportPositionsLocked();
            return waiter;
        }
    }

    private void Leave(Channel<int> waiter)
    {
        lock (_gate)
        {
            if (!_queue.Remove(waiter)) return;
            waiter.Writer.TryWrite(-1);
            ReportPositionsLocked();
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            _admitted--;
            while (_admitted < Settings.MaxRunningSequences && _queue.Dequeue() is { } next)
            {
                _admitted++;
                next.Writer.TryWrite(0);
            }
            ReportPositionsLocked();
        }
    }

    private void ReportPositionsLocked()
    {
        foreach (var (waiter, position) in _queue.TakePositionChanges())
            waiter.Writer.TryWrite(position);
    }

    public void Dispose() => IsDisposed = true;
}
