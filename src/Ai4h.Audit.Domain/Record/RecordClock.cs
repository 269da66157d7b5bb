using Marten;
using Npgsql;

namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// The record's one clock is PostgreSQL's: event timestamps come from it, so anything compared with them (how long
/// an evaluation has been silent, when it finished) is read from it too, never from a process's own clock.
/// </summary>
public static class RecordClock
{
    public static Task<DateTimeOffset> NowAsync(IQuerySession session, CancellationToken ct) =>
        ScalarAsync(session, "select now()", null, ct);

    /// <summary>Server time of the latest event on a stream.</summary>
    public static Task<DateTimeOffset> LastEventAtAsync(IQuerySession session, Guid streamId, CancellationToken ct) =>
        ScalarAsync(session, $"select max(timestamp) from {session.DocumentStore.Options.DatabaseSchemaName}.mt_events where stream_id = $1", streamId, ct);

    /// <summary>Server time at which the event at <paramref name="version"/> of a stream was recorded.</summary>
    public static async Task<DateTimeOffset> EventAtAsync(IQuerySession session, Guid streamId, long version, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var cmd = new NpgsqlCommand($"select timestamp from {schema}.mt_events where stream_id = $1 and version = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = version });
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"stream {streamId} has no event at version {version}");
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static async Task<DateTimeOffset> ScalarAsync(IQuerySession session, string sql, Guid? streamId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql);
        if (streamId is { } id) cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        await reader.ReadAsync(ct);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }
}
