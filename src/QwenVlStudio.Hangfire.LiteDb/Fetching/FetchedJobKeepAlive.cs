using Hangfire.Logging;
using QwenVlStudio.Hangfire.LiteDb.Data;

namespace QwenVlStudio.Hangfire.LiteDb.Fetching;

/// <summary>
/// Keeps the queue entries of jobs that live workers are processing invisible: every fifth of the invisibility
/// timeout their FetchedAt is renewed in one commit. Only a dead process stops renewing, so only its entries become
/// fetchable again, and a long job is never handed to a second worker while its first one is alive.
/// </summary>
internal sealed class FetchedJobKeepAlive : IDisposable
{
    private static readonly ILog Logger = LogProvider.GetLogger(typeof(FetchedJobKeepAlive));

    private readonly Dictionary<QueueEntry, object?> _active = [];
    private readonly Func<IReadOnlyCollection<QueueEntry>, List<QueueEntry>> _renew;
    private readonly Timer _timer;

    /// <param name="renew">Renews FetchedAt of the given claims; returns the ones no longer owned.</param>
    /// <param name="period">How often to renew.</param>
    public FetchedJobKeepAlive(Func<IReadOnlyCollection<QueueEntry>, List<QueueEntry>> renew, TimeSpan period)
    {
        _renew = renew;
        _timer = new Timer(_ => RenewOnTimer(), null, period, period);
    }

    public void Track(QueueEntry claim)
    {
        lock (_active) _active[claim] = null;
    }

    public void Forget(QueueEntry claim)
    {
        lock (_active) _active.Remove(claim);
    }

    /// <summary>Renews every tracked claim now (the timer's work; tests call it directly).</summary>
    public void RenewNow()
    {
        QueueEntry[] claims;
        lock (_active) claims = _active.Keys.ToArray();
        if (claims.Length == 0) return;

        foreach (var lost in _renew(claims)) Forget(lost);
    }

    public void Dispose() => _timer.Dispose();

    private void RenewOnTimer()
    {
        try
        {
            RenewNow();
        }
        catch (Exception ex)
        {
            // A timer thread must not throw (it would end the process). The next tick tries again; if renewals keep
            // failing, the entries turn visible after the invisibility timeout and are processed again (at least once).
            Logger.WarnException("Could not renew the invisibility of fetched LiteDB queue entries.", ex);
        }
    }
}
