using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using QwenVlStudio.Inference;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Engine;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The one engine of the process, as a lifecycle: loads the model in the background (readiness in
/// <see cref="Status"/>), hands requests to the engine core (whose queue and loop decide who runs, by priority), and
/// swaps in a new engine when the governor's engine options change: new requests wait at the door, the old
/// engine drains (everything already in it, queued or running, finishes there), then the new one takes over. It also
/// reports status, load and per-request metrics events.
/// </summary>
public sealed class EngineService : IAsyncDisposable
{
    private readonly IEngineFactory _factory;
    private readonly string _modelPath;
    private readonly ILogger<EngineService> _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly object _engineGate = new();
    private IGenerationEngine? _engine;
    private ModelLoadOptions _options = new();
    private int _engineUsers;
    private int _atDoor;
    private TaskCompletionSource? _engineIdle;
    private TaskCompletionSource? _reopened;
    private EngineStatus _status = new(EngineState.Loading, "Loading the model…", null);

    public EngineService(IEngineFactory factory, string modelPath, ILogger<EngineService> logger)
    {
        _factory = factory;
        _modelPath = modelPath;
        _logger = logger;
    }

    public EngineStatus Status => Volatile.Read(ref _status);

    /// <summary>The engine options of the loaded (or loading) engine.</summary>
    public ModelLoadOptions Options
    {
        get
        {
            lock (_engineGate) return _options;
        }
    }

    /// <summary>The loaded engine's cache and batching figures; null while none is loaded or it reports none.</summary>
    public EngineStatistics? Statistics
    {
        get
        {
            lock (_engineGate)
                return (_engine as IEngineStatistics)?.Statistics;
        }
    }

    /// <summary>The loaded engine's context in tokens (prompt and answer); null while none is loaded.</summary>
    public int? ContextLength
    {
        get
        {
            lock (_engineGate)
                return _engine?.ContextLength;
        }
    }

    /// <summary>Running and queued requests of the engine core now (idle figures while none is loaded).</summary>
    public EngineLoad Load
    {
        get
        {
            lock (_engineGate)
                return _engine?.CurrentLoad ?? EngineLoad.Idle(_options.MaxRunningSequences, _options.MaxQueueLength);
        }
    }

    /// <summary>Whether requests are held at the door while the engine is swapped.</summary>
    public bool Paused
    {
        get
        {
            lock (_engineGate) return _reopened is not null;
        }
    }

    /// <summary>Raised after every change of <see cref="Status"/> (on the thread that made it).</summary>
    public event Action<EngineStatus>? StatusChanged;

    /// <summary>Raised when a request was queued, started or ended (<see cref="Load"/> may have changed).</summary>
    public event Action? LoadChanged;

    /// <summary>Builds the first engine. Failure is reported through <see cref="Status"/> and logged.</summary>
    public async Task LoadAsync(ModelLoadOptions options, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SetStatus(new EngineStatus(EngineState.Loading, $"Loading the model from {_modelPath}…", null));
            await BuildAsync(options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Holds new requests at the door, waits until every request in the engine has finished, disposes it and builds a
    /// new one with <paramref name="options"/>. The held requests then run on the new engine: none is lost.
    /// </summary>
    public async Task RebuildAsync(ModelLoadOptions options, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SetStatus(Status with { State = EngineState.Reloading, Message = "Applying new engine settings: finishing running answers, then reloading…" });
            lock (_engineGate)
                _reopened ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            LoadChanged?.Invoke();
            await WaitForEngineIdleAsync(cancellationToken).ConfigureAwait(false);
            DisposeEngine();
            await BuildAsync(options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TaskCompletionSource? reopened;
            lock (_engineGate)
            {
                reopened = _reopened;
                _reopened = null;
            }
            reopened?.TrySetResult();
            LoadChanged?.Invoke();
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Hands the request to the engine at <paramref name="priority"/> and streams its updates: queue progress, then the
    /// engine's events. <paramref name="owner"/> (a user or API key id) is whose share of the KV prefix cache the
    /// conversation counts against; null: the shared anonymous share. Cancelling frees the sequence's slot.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The model is loading or failed to load.</exception>
    /// <exception cref="EngineBusyException">The engine's queue of this priority class is full.</exception>
    public async IAsyncEnumerable<EngineUpdate> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestPriority priority,
        string? owner = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GenerationEvent? last = null;
        await using var updates = GenerateCoreAsync(messages, options, priority, owner, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            EngineUpdate update;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    break;
                update = updates.Current;
            }
            catch (Exception ex)
            {
                // Observed for the metrics, then passed on unchanged.
                RequestFailed?.Invoke(priority, ex);
                LoadChanged?.Invoke();
                throw;
            }
            if (update is TokenUpdate token)
            {
                last = token.Event;
                if (token.Event.TokenId is not null)
                    TokenGenerated?.Invoke(priority);
            }
            else
            {
                LoadChanged?.Invoke();
            }
            yield return update;
        }
        LoadChanged?.Invoke();
        if (last is { FinishReason: { } reason })
            RequestCompleted?.Invoke(priority, last.Stats, reason, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Raised for every generated token (for live tokens/s).</summary>
    public event Action<RequestPriority>? TokenGenerated;

    /// <summary>Raised when a request's last event arrived (for metrics).</summary>
    public event Action<RequestPriority, GenerationStats, FinishReason, TimeSpan>? RequestCompleted;

    /// <summary>Raised when a request ended in an exception: refused (busy, unavailable), bad input or a fault.</summary>
    public event Action<RequestPriority, Exception>? RequestFailed;

    private async IAsyncEnumerable<EngineUpdate> GenerateCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        RequestPriority priority,
        string? owner,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IGenerationEngine? engine;
        while ((engine = TryEnterEngine(out var door, out int position)) is null)
        {
            // An engine swap is under way: wait at the door (reported as a place in line among those waiting there).
            yield return new QueuedUpdate(position);
            try
            {
                await door!.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_engineGate) _atDoor--;
            }
        }
        try
        {
            var context = new RequestContext(priority, owner);
            await foreach (var evt in engine.GenerateAsync(messages, options, context, cancellationToken).ConfigureAwait(false))
            {
                if (evt.QueuePosition is { } position)
                    yield return new QueuedUpdate(position);
                else if (evt.IsStarted)
                    yield return new StartedUpdate();
                else
                    yield return new TokenUpdate(evt);
            }
        }
        finally
        {
            ExitEngine();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            DisposeEngine();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task BuildAsync(ModelLoadOptions options, CancellationToken cancellationToken)
    {
        lock (_engineGate)
            _options = options;
        try
        {
            // Loading ONNX sessions is long and synchronous: keep it off the caller's thread.
            var engine = await Task.Run(() => _factory.Create(_modelPath, options), cancellationToken).ConfigureAwait(false);
            lock (_engineGate)
                _engine = engine;
            _logger.LogInformation(
                "Model {Model} ready ({Vision} vision / {Decoder} decoder threads, {Running} sequences, batch {Batch}, caches {VisionCache} MB vision / {PrefixCache} MB KV prefix)",
                engine.ModelName, options.VisionThreads, options.DecoderThreads, options.MaxRunningSequences, options.MaxBatchSize,
                options.VisionCacheBytes >> 20, options.PrefixCacheBytes >> 20);
            SetStatus(new EngineStatus(EngineState.Ready, $"{engine.ModelName} is ready.", engine.ModelName));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not swallowed: the failure becomes the engine's status, which the UI and /readyz show.
            _logger.LogError(ex, "Loading the model from {Path} failed", _modelPath);
            SetStatus(new EngineStatus(EngineState.Failed, $"The model could not be loaded: {ex.Message}", null));
        }
    }

    /// <summary>
    /// The engine to run on, counted as in use; or null while an engine swap is under way, with the task that completes
    /// when the door opens again and this caller's place among those waiting there.
    /// </summary>
    /// <exception cref="EngineUnavailableException">No engine is loaded (loading or failed).</exception>
    private IGenerationEngine? TryEnterEngine(out Task? door, out int position)
    {
        lock (_engineGate)
        {
            if (_reopened is not null)
            {
                door = _reopened.Task;
                position = ++_atDoor;
                return null;
            }
            door = null;
            position = 0;
            if (_engine is null)
            {
                var status = Status;
                throw new EngineUnavailableException(status.State, status.Message);
            }
            _engineUsers++;
            return _engine;
        }
    }

    private void ExitEngine()
    {
        TaskCompletionSource? idle = null;
        lock (_engineGate)
        {
            _engineUsers--;
            if (_engineUsers == 0)
            {
                idle = _engineIdle;
                _engineIdle = null;
            }
        }

        idle?.TrySetResult();
    }

    private Task WaitForEngineIdleAsync(CancellationToken cancellationToken)
    {
        lock (_engineGate)
        {
            if (_engineUsers == 0)
                return Task.CompletedTask;
            _engineIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _engineIdle.Task.WaitAsync(cancellationToken);
        }
    }

    private void DisposeEngine()
    {
        IGenerationEngine? old;
        lock (_engineGate)
        {
            old = _engine;
            _engine = null;
        }

        (old as IDisposable)?.Dispose();
    }

    private void SetStatus(EngineStatus status)
    {
        Volatile.Write(ref _status, status);
        StatusChanged?.Invoke(status);
    }
}
