using System.Diagnostics;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ai4h.Audit.Hosting;

/// <summary>
/// Marten's command log without parameter values. Marten's default logger writes every parameter (at Debug on success,
/// at Error on failure), and the parameters of an append are the events themselves: an API key's hash, a password's
/// PBKDF2 salt and hash. This one logs the SQL text, its duration and how many parameters it had, never their values.
/// </summary>
public sealed class RecordLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    private long _started;

    public IMartenSessionLogger StartSession(IQuerySession session) => new RecordLogger(logger);

    public void SchemaChange(string sql) => logger.LogInformation("Marten applied a schema change: {Sql}", sql);

    public void OnBeforeExecute(NpgsqlCommand command) => _started = Stopwatch.GetTimestamp();

    public void OnBeforeExecute(NpgsqlBatch batch) => _started = Stopwatch.GetTimestamp();

    public void LogSuccess(NpgsqlCommand command)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Marten executed in {Milliseconds} ms ({Parameters} parameters, values not logged): {Sql}",
                Elapsed(), command.Parameters.Count, command.CommandText);
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Marten executed a batch of {Commands} in {Milliseconds} ms (values not logged): {Sql}",
                batch.BatchCommands.Count, Elapsed(), string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) =>
        logger.LogError(ex, "Marten command failed ({Parameters} parameters, values not logged): {Sql}", command.Parameters.Count, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        logger.LogError(ex, "Marten batch failed (values not logged): {Sql}", string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => logger.LogError(ex, "{Message}", message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Marten saved changes: {Inserted} inserted, {Updated} updated, {Deleted} deleted, {Events} events",
                commit.Inserted.Count(), commit.Updated.Count(), commit.Deleted.Count(), commit.GetEvents().Count());
    }

    private double Elapsed() => Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 3);
}
