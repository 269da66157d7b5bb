using System.Security.Cryptography;
using System.Text;
using Ai4h.Audit.Domain.Ledger;
using Npgsql;

namespace Ai4h.Audit.Api.Ledger;

/// <summary>One stored event as the ledger sees it: the envelope fields and the stored JSON exactly as text.</summary>
public sealed record StoredEvent(long Sequence, Guid EventId, Guid StreamId, long StreamVersion, string EventType, DateTimeOffset Timestamp,
    string? Actor, string Data)
{
    public string DataSha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Data)));

    public LedgerLeaf Leaf() => LedgerLeaf.ForEvent(Sequence, StreamId, StreamVersion, EventType, Timestamp, Actor, DataSha256);
}

/// <summary>Reads events from <c>mt_events</c> in sequence order, with the JSON as PostgreSQL renders the stored jsonb.</summary>
public static class LedgerEvents
{
    public static async Task<List<StoredEvent>> ReadAsync(NpgsqlConnection conn, string schema, long afterSequence, long? upToSequence, int limit,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select seq_id, id, stream_id, version, type, timestamp, user_name, data::text
              from {schema}.mt_events where seq_id > $1 and seq_id <= $2 order by seq_id limit $3
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        cmd.Parameters.Add(new NpgsqlParameter { Value = upToSequence ?? long.MaxValue });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(cmd, ct);
    }

    /// <summary>Every event of the given streams up to a sequence number, in sequence order.</summary>
    public static async Task<List<StoredEvent>> ReadStreamsAsync(NpgsqlConnection conn, string schema, IReadOnlyCollection<Guid> streams, long upToSequence,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select seq_id, id, stream_id, version, type, timestamp, user_name, data::text
              from {schema}.mt_events where stream_id = any($1) and seq_id <= $2 order by seq_id
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = streams.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = upToSequence });
        return await ReadAllAsync(cmd, ct);
    }

    private static async Task<List<StoredEvent>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
        return events;
    }
}
