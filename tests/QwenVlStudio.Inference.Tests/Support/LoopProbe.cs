using System.Diagnostics;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Engine;

namespace QwenVlStudio.Inference.Tests.Support;

/// <summary>
/// One request to an <see cref="EngineLoop"/>, enumerated in the background: its events, and a shared log of
/// "name started" / "name finished" lines in the order they happened. Queued synchronously by the constructor.
/// </summary>
internal sealed class LoopProbe
{
    private readonly List<GenerationEvent> _events = [];

    public LoopProbe(EngineLoop loop, string name, EngineSubmission submission, List<string> log, CancellationToken cancellationToken = default)
    {
        Name = name;
        var stream = loop.RunAsync(submission, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = stream.MoveNextAsync().AsTask(); // queues the request before the constructor returns
        Completion = Drain(stream, first, log);
    }

    public string Name { get; }

    public Task Completion { get; }

    public List<GenerationEvent> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    public List<int> Tokens => Events.Where(e => e.TokenId is not null).Select(e => e.TokenId!.Value).ToList();

    public List<int> Positions => Events.Where(e => e.QueuePosition is not null).Select(e => e.QueuePosition!.Value).ToList();

    public GenerationEvent? Final => Events.LastOrDefault(e => e.IsFinal);

    public static EngineSubmission Submit(int tag, int promptLength, int tokens, RequestPriority priority = RequestPriority.Interactive,
        Func<CancellationToken, PreparedPrompt>? vision = null) =>
        new(GenerationOptions.Greedy(tokens, tokens), new GoldenPrompts.NoText(), new RequestContext(priority), Stopwatch.GetTimestamp(),
            vision is null ? FakeDecodeBatch.Prompt(tag, promptLength) : null, vision);

    /// <summary>Waits (bounded) until an event matches.</summary>
    public async Task SeesAsync(Func<GenerationEvent, bool> match)
    {
        for (int i = 0; i < 1000 && !Events.Any(match); i++)
            await Task.Delay(10);
        Assert.True(Events.Any(match), $"{Name} did not see the event; it saw {Events.Count} events");
    }

    private async Task Drain(IAsyncEnumerator<GenerationEvent> stream, Task<bool> first, List<string> log)
    {
        await using (stream)
        {
            for (bool more = await first; more; more = await stream.MoveNextAsync())
            {
                lock (_events) _events.Add(stream.Current);
                if (stream.Current.IsStarted) Log("started");
            }
        }
        Log("finished");

        void Log(string what)
        {
            lock (log) log.Add($"{Name} {what}");
        }
    }
}
