using Hangfire.Logging;
using Hangfire.Server;

namespace QwenVlStudio.Hangfire.LiteDb.Expiration;

/// <summary>
/// The storage-wide background process (run by every Hangfire server on this storage) that removes expired jobs,
/// hashes, sets, lists and counters every <see cref="LiteDbStorageOptions.ExpirationCheckInterval"/>, which keeps
/// the file from growing with the number of finished jobs.
/// </summary>
internal sealed class ExpirationManager(LiteDbStorage storage, TimeSpan checkInterval) : IBackgroundProcess
{
    private static readonly ILog Logger = LogProvider.GetLogger(typeof(ExpirationManager));

    public void Execute(BackgroundProcessContext context)
    {
        var removed = storage.RemoveExpiredRecords(context.StoppingToken);
        if (removed > 0) Logger.Debug($"Removed {removed} expired records from the LiteDB storage.");
        context.Wait(checkInterval);
    }

    public override string ToString() => "LiteDB expiration manager";
}
