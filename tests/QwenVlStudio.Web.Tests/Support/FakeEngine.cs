using System.Runtime.CompilerServices;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>
/// A deterministic stand-in for the ONNX engine: streams <see cref="FakeEngineBehavior.TokensFor"/> words, one per
/// <see cref="FakeEngineBehavior.TokenDelay"/>, and honours the engine contract (bad input throws before any token,
/// cancellation ends with <see cref="FinishReason.Cancelled"/>). Optional gates let tests hold a step so that they
/// can observe the scheduler while a sequence is "computing".
/// </summary>
public sealed class FakeEngine(FakeEngineBehavior behavior, EngineBuildSettings settings) : IGenerationEngine, IEngineStatistics, IDisposable
{
    private int _running;

    public EngineBuildSettings Settings { get; } = settings;

    public string ModelName => "fake-tiny";

    public int ContextLength => behavior.ContextLength;

    public bool IsDisposed { get; private set; }

    /// <summary>Sequences inside <see cref="GenerateAsync"/> right now.</summary>
    public int Running => Volatile.Read(ref _running);

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    /// <summary>The options of each request in <see cref="Requests"/>, in the same order.</summary>
    public List<GenerationOptions> RequestOptions { get; } = [];

    /// <summary>The priority and owner of each request that came with a context, in order.</summary>
    public List<RequestContext> Contexts { get; } = [];

    public EngineStatistics Statistics =>
        behavior.Statistics ?? new EngineStatistics(CacheStats.Disabled, CacheStats.Disabled, 0, Settings.MaxBatchSize, 0, 0);

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestContext context,
        CancellationToken cancellationToken = default)
    {
        lock (Contexts)
            Contexts.Add(context);
        return GenerateAsync(messages, options, cancellationToken);
    }

    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (messages.Count == 0 || messages[^1].Role != ChatRole.User)
            throw new InvalidPromptException("The conversation must end with a user message.");
        var lastText = string.Concat(messages[^1].Content.OfType<TextContent>().Select(t => t.Text));
        if (lastText.Contains("[reject]", StringComparison.Ordinal))
            throw new InvalidPromptException("The fake engine rejects this prompt.");

        lock (Requests)
        {
            Requests.Add(messages);
            RequestOptions.Add(options);
        }
        Interlocked.Increment(ref _running);
        try
        {
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
        }
    }

    public void Dispose() => IsDisposed = true;
}
