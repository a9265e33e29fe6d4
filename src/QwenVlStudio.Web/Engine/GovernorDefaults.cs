using Microsoft.Extensions.Logging;

namespace QwenVlStudio.Web.Engine;

/// <summary>
/// The governor's starting point. <see cref="Settings"/>: the core-count preset with appsettings.json overrides.
/// <see cref="Initial"/>: the admin's saved settings when there are valid ones, else <see cref="Settings"/>.
/// </summary>
public sealed record GovernorDefaults(GovernorSettings Settings, GovernorSettings Initial)
{
    public static GovernorDefaults Resolve(
        GovernorOptions options, IGovernorSettingsStore store, int detectedCores, ILogger logger)
    {
        var cores = options.CoreCount ?? detectedCores;
        var defaults = options.ApplyTo(GovernorPresets.ForCoreCount(cores));
        var configErrors = defaults.Validate();
        if (configErrors.Count > 0)
            throw new GovernorValidationException(configErrors);

        var saved = store.Load();
        if (saved is null)
            return new GovernorDefaults(defaults, defaults);
        var savedErrors = saved.Validate();
        if (savedErrors.Count == 0)
            return new GovernorDefaults(defaults, saved);

        logger.LogWarning(
            "Ignoring saved governor settings ({Errors}); using the defaults for {Cores} cores",
            string.Join(" ", savedErrors), cores);
        return new GovernorDefaults(defaults, defaults);
    }
}
