using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Web.Engine;

namespace QwenVlStudio.Web.Tests.Support;

/// <summary>Builds <see cref="FakeEngine"/>s and remembers each, so tests can see rebuilds and thread counts.</summary>
public sealed class FakeEngineFactory : IEngineFactory
{
    private readonly List<FakeEngine> _created = [];

    public FakeEngineBehavior Behavior { get; } = new();

    /// <summary>When set, Create waits for it (a slow model load).</summary>
    public TaskCompletionSource? HoldLoad { get; set; }

    public string? FailWith { get; set; }

    public IReadOnlyList<FakeEngine> Created
    {
        get
        {
            lock (_created)
                return _created.ToList();
        }
    }

    public FakeEngine? Latest => Created.LastOrDefault();

    public IGenerationEngine Create(string modelPath, ModelLoadOptions settings)
    {
        HoldLoad?.Task.Wait();
        if (FailWith is not null)
            throw new ModelPackageException(FailWith);
        var engine = new FakeEngine(Behavior, settings);
        lock (_created)
            _created.Add(engine);
        return engine;
    }
}
