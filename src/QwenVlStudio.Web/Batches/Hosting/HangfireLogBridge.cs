using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace QwenVlStudio.Web.Batches.Hosting;

/// <summary>
/// Hangfire logs through one process-wide provider (a static), while hosts come and go (tests run several at once
/// and one after another). This provider forwards each message to the logger factory of the newest host that is
/// still running, looked up when the message is written, so no logger outlives the factory that made it.
/// </summary>
public sealed class HangfireLogBridge : ILogProvider
{
    private readonly List<ILoggerFactory> _factories = [];
    private readonly object _gate = new();

    public static HangfireLogBridge Instance { get; } = new();

    /// <summary>Sends Hangfire's messages to <paramref name="factory"/> until the returned handle is disposed.</summary>
    public IDisposable Attach(ILoggerFactory factory)
    {
        lock (_gate)
            _factories.Add(factory);
        return new Attachment(this, factory);
    }

    public ILog GetLogger(string name) => new BridgedLog(this, name);

    private ILogger? LoggerFor(string name)
    {
        ILoggerFactory? factory;
        lock (_gate)
            factory = _factories.Count > 0 ? _factories[^1] : null;
        try
        {
            return factory?.CreateLogger(name);
        }
        catch (ObjectDisposedException)
        {
            // The host stopped between the lookup and this call: its messages have nowhere to go any more.
            return null;
        }
    }

    private void Detach(ILoggerFactory factory)
    {
        lock (_gate)
            _factories.Remove(factory);
    }

    private sealed class Attachment(HangfireLogBridge bridge, ILoggerFactory factory) : IDisposable
    {
        public void Dispose() => bridge.Detach(factory);
    }

    private sealed class BridgedLog(HangfireLogBridge bridge, string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = bridge.LoggerFor(name);
            if (logger is null)
                return false;
            var level = Map(logLevel);
            if (messageFunc is null)
                return logger.IsEnabled(level); // Hangfire asks whether a level is on by passing no message
            if (logger.IsEnabled(level))
                logger.Log(level, exception, "{HangfireMessage}", messageFunc());
            return true;
        }

        private static LogLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => LogLevel.Trace,
            HangfireLevel.Debug => LogLevel.Debug,
            HangfireLevel.Info => LogLevel.Information,
            HangfireLevel.Warn => LogLevel.Warning,
            HangfireLevel.Error => LogLevel.Error,
            HangfireLevel.Fatal => LogLevel.Critical,
            _ => LogLevel.None,
        };
    }
}
