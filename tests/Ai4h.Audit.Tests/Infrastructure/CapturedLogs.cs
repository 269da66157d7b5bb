using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ai4h.Audit.Tests.Infrastructure;

/// <summary>
/// Every log entry of the Api host, at every level and with its scopes and exception text, while a test has asked for
/// them (<see cref="Start"/>); otherwise it takes nothing and costs nothing.
/// </summary>
[ProviderAlias("Captured")]
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private volatile bool _capturing;

    public IReadOnlyList<string> Entries => _entries.ToList();

    public void Start()
    {
        _entries.Clear();
        _capturing = true;
    }

    public IReadOnlyList<string> Stop()
    {
        _capturing = false;
        return Entries;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logs._capturing;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!logs._capturing) return;
            var scopes = new List<string>();
            logs._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            // The structured values too: a provider that writes them (JSON console, OpenTelemetry) would print them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs._entries.Enqueue($"{logLevel} {category}[{eventId}] {formatter(state, exception)} | {values} | scopes: {string.Join(" => ", scopes)} | {exception}");
        }
    }
}
