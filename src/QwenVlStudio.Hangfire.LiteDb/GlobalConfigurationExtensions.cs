using QwenVlStudio.Hangfire.LiteDb;

// In Hangfire's namespace, as storage extensions are by convention: `using Hangfire;` is all an app needs.
namespace Hangfire;

/// <summary>Points Hangfire at a LiteDB file.</summary>
public static class LiteDbGlobalConfigurationExtensions
{
    /// <summary>
    /// Uses a <see cref="LiteDbStorage"/> on <paramref name="pathOrConnectionString"/> as Hangfire's job storage:
    /// <c>GlobalConfiguration.Configuration.UseLiteDbStorage("jobs.db")</c> or
    /// <c>services.AddHangfire(c => c.UseLiteDbStorage("jobs.db"))</c>.
    /// </summary>
    public static IGlobalConfiguration<LiteDbStorage> UseLiteDbStorage(
        this IGlobalConfiguration configuration, string pathOrConnectionString, LiteDbStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.UseStorage(new LiteDbStorage(pathOrConnectionString, options));
    }
}
