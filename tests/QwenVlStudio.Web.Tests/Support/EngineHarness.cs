using Microsoft.Extensions.Logging.Abstractions;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>An <see cref="EngineService"/> with its governor over the fake engine, without a web host.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public EngineHarness(GovernorSettings? settings = null)
    {
        var initial = settings ?? new GovernorSettings { VisionThreads = 1, DecoderThreads = 1, MaxConcurrentSequences = 1, MaxQueueLength = 2 };
        Engine = new EngineService(Factory, "/models/fake", NullLogger<EngineService>.Instance);
        Governor = new EngineGovernor(Engine, Store, new GovernorDefaults(initial, initial), NullLogger<EngineGovernor>.Instance);
    }

    public FakeEngineFactory Factory { get; } = new();

    public InMemoryGovernorSettingsStore Store { get; } = new();

    public EngineService Engine { get; }

    public EngineGovernor Governor { get; }

    public FakeEngineBehavior Behavior => Factory.Behavior;

    public Task LoadAsync() => Engine.LoadAsync(Governor.Current.ToEngineOptions(), CancellationToken.None);

    public static IReadOnlyList<ChatMessage> Question(string text = "What is this?") => [ChatMessage.User(text)];

    /// <summary>Starts a generation and returns a channel of its updates (read by the test at its pace).</summary>
    public RunningRequest Start(string text = "What is this?", RequestPriority priority = RequestPriority.Interactive, CancellationToken cancellationToken = default)
    {
        var enumerator = Engine.GenerateAsync(Question(text), GenerationOptions.Greedy(1000), priority, cancellationToken: cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        return new RunningRequest(enumerator);
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}

/// <summary>A generation driven step by step from a test.</summary>
public sealed class RunningRequest(IAsyncEnumerator<EngineUpdate> enumerator) : IAsyncDisposable
{
    public List<EngineUpdate> Updates { get; } = [];

    /// <summary>Reads updates until one matches; false when the stream ended first.</summary>
    public async Task<bool> ReadUntilAsync(Func<EngineUpdate, bool> match)
    {
        while (await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Updates.Add(enumerator.Current);
            if (match(enumerator.Current))
                return true;
        }

        return false;
    }

    public Task<bool> StartedAsync() => ReadUntilAsync(u => u is StartedUpdate);

    public Task ReadToEndAsync() => ReadUntilAsync(_ => false);

    public ValueTask DisposeAsync() => enumerator.DisposeAsync();
}
