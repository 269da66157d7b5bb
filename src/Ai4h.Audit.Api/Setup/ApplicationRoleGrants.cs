using Ai4h.Audit.Domain.Record;
using Npgsql;

namespace Ai4h.Audit.Api.Setup;

/// <summary>
/// What the application role may do, applied by the schema owner after every migration. The events table and the
/// blob table are append-only for the application: INSERT and SELECT, never UPDATE, DELETE or TRUNCATE. Read models,
/// stream headers and message queues are working tables the application must be able to change.
/// </summary>
public static class ApplicationRoleGrants
{
    public static readonly string[] AppendOnlyTables =
        ["mt_events", BlobStore.TableName, Domain.Ledger.LedgerTables.Leaves, Domain.Ledger.LedgerTables.Checkpoints];

    public static async Task ApplyAsync(DatabaseConnections connections)
    {
        var app = Quote(connections.ApplicationRole);
        await using var conn = new NpgsqlConnection(connections.Owner);
        await conn.OpenAsync();
        var schemas = new List<string>();
        await using (var cmd = new NpgsqlCommand("select nspname from pg_namespace where nspowner = (select oid from pg_roles where rolname = current_user)", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) schemas.Add(reader.GetString(0));

        var sql = new System.Text.StringBuilder();
        foreach (var schema in schemas.Select(Quote))
        {
            sql.AppendLine($"grant usage on schema {schema} to {app};");
            sql.AppendLine($"grant select, insert, update, delete on all tables in schema {schema} to {app};");
            sql.AppendLine($"grant usage, select, update on all sequences in schema {schema} to {app};");
            sql.AppendLine($"grant execute on all functions in schema {schema} to {app};");
        }
        var recordSchema = Quote(RecordStore.Schema);
        foreach (var table in AppendOnlyTables)
            sql.AppendLine($"revoke update, delete, truncate on {recordSchema}.{Quote(table)} from {app};");
        // Stream headers carry the current version (updated on append) but a stream is never deleted.
        sql.AppendLine($"revoke delete, truncate on {recordSchema}.mt_streams from {app};");

        await using var grant = new NpgsqlCommand(sql.ToString(), conn);
        await grant.ExecuteNonQueryAsync();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
