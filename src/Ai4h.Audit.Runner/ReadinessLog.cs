using Marten;

namespace Ai4h.Audit.Runner;

/// <summary>Checks on start that the record is reachable with the application role, and says so in the log.</summary>
public sealed class ReadinessLog(IDocumentStore store, ILogger<ReadinessLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var state = await store.Advanced.FetchEventStoreStatistics(token: stoppingToken);
        logger.LogInformation("Runner ready: the record holds {Events} events in {Streams} streams", state.EventCount, state.StreamCount);
    }
}
