using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using QwenVlStudio.Inference.Caching;
using QwenVlStudio.Inference.Generation;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The one engine of the process and the only way to use it: loads the model in the background (readiness in
/// <see cref="Status"/>), admits requests through the <see cref="Scheduler"/>, and rebuilds the engine when the
/// governor's thread counts change, after the running sequences have drained.
/// </summary>
public sealed class EngineService : IAsyncDisposable
{
    private readonly IEngineFactory _factory;
    private readonly string _modelPath;
    private readonly ILogger<EngineService> _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly object _engineGate = new();
    private IGenerationEngine? _engine;
    private int _engineUsers;
    private TaskCompletionSource? _engineIdle;
    private EngineStatus _status = new(EngineState.Loading, "Loading the model…", null);

    public EngineService(
        IEngineFactory factory, string modelPath, SequenceScheduler scheduler, ILogger<EngineService> logger)
    {
        _factory = factory;
        _modelPath = modelPath;
        _logger = logger;
        Scheduler = scheduler;
    }

    public SequenceScheduler Scheduler { get; }

    public EngineStatus Status => Volatile.Read(ref _status);

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

    /// <summary>Raised after every change of <see cref="Status"/> (on the thread that made it).</summary>
    public event Action<EngineStatus>? StatusChanged;

    /// <summary>Builds the first engine. Failure is reported through <see cref="Status"/> and logged.</summary>
    public async Task LoadAsync(EngineBuildSettings settings, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SetStatus(new EngineStatus(EngineState.Loading, $"Loading the model from {_modelPath}…", null));
            await BuildAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops admitting, waits for running sequences to finish, disposes the engine and builds a new one with
    /// <paramref name="settings"/>. Requests arriving meanwhile wait in the queue and run on the new engine.
    /// </summary>
    public async Task RebuildAsync(EngineBuildSettings settings, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SetStatus(Status with { State = EngineState.Reloading, Message = "Applying new engine settings: finishing running answers, then reloading…" });
            await Scheduler.PauseAndDrainAsync(cancellationToken).ConfigureAwait(false);
            await WaitForEngineIdleAsync(cancellationToken).ConfigureAwait(false);
            DisposeEngine();
            await BuildAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Scheduler.Resume();
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Queues the request at <paramref name="priority"/>, then streams the engine's events. Cancelling frees the
    /// sequence slot at once, even while the engine finishes its current step.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The model is loading or failed to load.</exception>
    /// <exception cref="EngineBusyException">The queue of this priority class is full.</exception>
    public IAsyncEnumerable<EngineUpdate> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        WorkPriority priority,
        CancellationToken cancellationToken = default) => GenerateAsync(messages, options, priority, owner: null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="owner"/>; the owner (a user or API key id) is whose share of the KV
    /// prefix cache the conversation counts against. Null: the shared anonymous share.
    /// </summary>
    public async IAsyncEnumerable<EngineUpdate> GenerateAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        WorkPriority priority,
        string? owner,
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
                throw;
            }
            if (update is TokenUpdate token)
            {
                last = token.Event;
                if (token.Event.TokenId is not null)
                    TokenGenerated?.Invoke(priority);
            }
            yield return update;
        }
        if (last is { FinishReason: { } reason })
            RequestCompleted?.Invoke(priority, last.Stats, reason, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Raised for every generated token (for live tokens/s).</summary>
    public event Action<WorkPriority>? TokenGenerated;

    /// <summary>Raised when a request's last event arrived (for metrics).</summary>
    public event Action<WorkPriority, GenerationStats, FinishReason, TimeSpan>? RequestCompleted;

    /// <summary>Raised when a request ended in an exception: refused (busy, unavailable), bad input or a fault.</summary>
    public event Action<WorkPriority, Exception>? RequestFailed;

    private async IAsyncEnumerable<EngineUpdate> GenerateCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        GenerationOptions options,
        WorkPriority priority,
        string? owner,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfNotAccepting();
        var positions = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
        var acquire = Scheduler.AcquireAsync(priority, p => positions.Writer.TryWrite(p), cancellationToken);
        _ = acquire.ContinueWith(
            static (_, writer) => ((ChannelWriter<int>)writer!).TryComplete(), positions.Writer,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        SequenceSlot? slot = null;
        try
        {
            await foreach (var position in positions.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return new QueuedUpdate(position);
            slot = await acquire.ConfigureAwait(false);
        }
        finally
        {
            if (slot is null)
                ReleaseWhenGranted(acquire);
        }

        using (slot)
        await using (cancellationToken.Register(static s => ((SequenceSlot)s!).Dispose(), slot).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var engine = EnterEngine();
            try
            {
                yield return new StartedUpdate();
                var context = new RequestContext(priority == WorkPriority.Interactive ? RequestPriority.Interactive : RequestPriority.Batch, owner);
                await foreach (var evt in engine.GenerateAsync(messages, options, context, cancellationToken).ConfigureAwait(false))
                    yield return new TokenUpdate(evt);
            }
            finally
            {
                ExitEngine();
            }
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

    private async Task BuildAsync(EngineBuildSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            // Loading ONNX sessions is long and synchronous: keep it off the caller's thread.
            var engine = await Task.Run(() => _factory.Create(_modelPath, settings), cancellationToken).ConfigureAwait(false);
            lock (_engineGate)
                _engine = engine;
            _logger.LogInformation(
                "Model {Model} ready ({Vision} vision / {Decoder} decoder threads, batch {Batch}, caches {VisionCache} MB vision / {PrefixCache} MB KV prefix)",
                engine.ModelName, settings.VisionThreads, settings.DecoderThreads, settings.MaxBatchSize,
                settings.VisionCacheMegabytes, settings.PrefixCacheMegabytes);
            SetStatus(new EngineStatus(EngineState.Ready, $"{engine.ModelName} is ready.", engine.ModelName));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not swallowed: the failure becomes the engine's status, which the UI and /readyz show.
            _logger.LogError(ex, "Loading the model from {Path} failed", _modelPath);
            SetStatus(new EngineStatus(EngineState.Failed, $"The model could not be loaded: {ex.Message}", null));
        }
    }

    private void ThrowIfNotAccepting()
    {
        var status = Status;
        if (!status.AcceptsRequests)
            throw new EngineUnavailableException(status.State, status.Message);
    }

    private IGenerationEngine EnterEngine()
    {
        lock (_engineGate)
        {
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

    /// <summary>A slot freed early by cancellation may still have its engine step running: wait for that too.</summary>
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

    private static void ReleaseWhenGranted(Task<SequenceSlot> acquire) =>
        _ = acquire.ContinueWith(
            static t =>
            {
                if (t.IsCompletedSuccessfully)
                    t.Result.Dispose();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
