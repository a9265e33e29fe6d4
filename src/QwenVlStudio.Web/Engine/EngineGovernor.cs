using Microsoft.Extensions.Logging;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Owns the engine's CPU use and request defaults. <see cref="ApplyAsync"/> validates new settings, persists
/// them and, when the engine options they map to changed (threads, concurrency, batching, queue, caches), has the
/// engine drained and rebuilt; request defaults apply to the next request at once.
/// </summary>
public sealed class EngineGovernor
{
    private readonly EngineService _engine;
    private readonly IGovernorSettingsStore _store;
    private readonly ILogger<EngineGovernor> _logger;
    private readonly SemaphoreSlim _applying = new(1, 1);
    private GovernorSettings _current;

    public EngineGovernor(
        EngineService engine, IGovernorSettingsStore store, GovernorDefaults defaults, ILogger<EngineGovernor> logger)
    {
        _engine = engine;
        _store = store;
        _logger = logger;
        Defaults = defaults.Settings;
        _current = defaults.Initial;
    }

    /// <summary>The core-count preset with appsettings.json overrides: what "reset to defaults" restores.</summary>
    public GovernorSettings Defaults { get; }

    public GovernorSettings Current => Volatile.Read(ref _current);

    /// <summary>Raised after settings were applied (the engine may still be reloading; see its status).</summary>
    public event Action<GovernorSettings>? Changed;

    /// <exception cref="GovernorValidationException">A value is out of range; nothing was changed.</exception>
    public async Task ApplyAsync(GovernorSettings next, CancellationToken cancellationToken)
    {
        var errors = next.Validate();
        if (errors.Count > 0)
            throw new GovernorValidationException(errors);

        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Current;
            _store.Save(next);
            Volatile.Write(ref _current, next);
            _logger.LogInformation("Governor settings changed: {Settings}", next);
            Changed?.Invoke(next);
            if (previous.ToEngineOptions() != next.ToEngineOptions())
                await _engine.RebuildAsync(next.ToEngineOptions(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _applying.Release();
        }
    }
}
