using System.Collections.Concurrent;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>
/// Streamiz keeps the logger factory it is given in a process-wide static, and creates loggers from it
/// even before a new configuration sets its own. A host's factory dies with the host, so a second host in
/// the same process (tests, restarts) would crash on the disposed one. Streamiz therefore always gets this
/// process-lifetime factory, which forwards to the factory of the host that is running now.
/// </summary>
public sealed class StreamizLogging : ILoggerFactory
{
    public static StreamizLogging Factory { get; } = new();
    private volatile ILoggerFactory? _target;

    private StreamizLogging() { }

    public void Attach(ILoggerFactory target) => _target = target;

    public void Detach(ILoggerFactory target) => Interlocked.CompareExchange(ref _target, null, target);

    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("attach a host's logger factory instead");

    public void Dispose() { /* process lifetime */ }

    private sealed class ForwardingLogger(StreamizLogging owner, string category) : ILogger
    {
        private readonly ConcurrentDictionary<ILoggerFactory, ILogger> _loggers = new();

        private ILogger? Current => owner._target is { } f ? _loggers.GetOrAdd(f, x => x.CreateLogger(category)) : null;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Current?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Current?.IsEnabled(logLevel) ?? false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                Current?.Log(logLevel, eventId, state, exception, formatter);
            }
            catch (ObjectDisposedException)
            {
                // The host that owned the factory is shutting down; its last log lines have nowhere to go.
            }
        }
    }
}
