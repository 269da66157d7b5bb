using Marten;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace Ai4h.Audit.Domain.Record;

/// <summary>The stored bytes no longer hash to the name they were stored under: the record was altered.</summary>
public sealed class BlobIntegrityException(string sha256, string actual)
    : Exception($"blob {sha256} fails its integrity check: its bytes now hash to {actual}");

/// <summary>
/// Content-addressed bytes (data set versions, later models and prediction files) kept in PostgreSQL beside the
/// events, so one backup holds everything. Rows are only ever inserted: the application role has no UPDATE or
/// DELETE on this table (scripts/grants.sql).
/// </summary>
public static class BlobStore
{
    public const string TableName = "blobs";

    public static Table Table(string schema)
    {
        var table = new Table($"{schema}.{TableName}");
        table.AddColumn<string>("sha256").AsPrimaryKey();
        table.AddColumn<long>("size_bytes").NotNull();
        table.AddColumn("content", "bytea").NotNull();
        table.AddColumn("stored_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    /// <summary>
    /// Queues the bytes for storage in the session's transaction, so the blob and the event that names it commit
    /// together or not at all. Identical bytes stored twice keep the first row.
    /// </summary>
    public static string Store(IDocumentSession session, byte[] bytes)
    {
        var sha = Sha256.Hex(bytes);
        session.QueueSqlCommand(
            $"insert into {session.DocumentStore.Options.DatabaseSchemaName}.{TableName} (sha256, size_bytes, content) values (?, ?, ?) on conflict (sha256) do nothing",
            sha, (long)bytes.Length, bytes);
        return sha;
    }

    /// <summary>Reads a blob and checks that its bytes still hash to its name.</summary>
    public static async Task<byte[]?> ReadAsync(IQuerySession session, string sha256, CancellationToken ct)
    {
        if (!Sha256.IsHex(sha256)) return null;
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var cmd = new NpgsqlCommand($"select content from {schema}.{TableName} where sha256 = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        if (!await reader.ReadAsync(ct)) return null;
        var bytes = (byte[])reader[0];
        var actual = Sha256.Hex(bytes);
        if (actual != sha256) throw new BlobIntegrityException(sha256, actual);
        return bytes;
    }

    public static async Task<bool> ExistsAsync(IQuerySession session, string sha256, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var cmd = new NpgsqlCommand($"select 1 from {schema}.{TableName} where sha256 = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        return await reader.ReadAsync(ct);
    }

    /// <summary>How many distinct blobs are stored (content addressing means identical uploads count once).</summary>
    public static async Task<long> CountAsync(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var cmd = new NpgsqlCommand($"select count(*) from {schema}.{TableName}");
        await using var reader = await session.ExecuteReaderAsync(cmd, ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0);
    }
}
