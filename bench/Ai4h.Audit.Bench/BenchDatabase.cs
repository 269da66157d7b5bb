using Ai4h.Audit.Domain.Record;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace Ai4h.Audit.Bench;

/// <summary>
/// The bench's own corners of the database: a store with the production conventions (<see cref="RecordStore"/>) in a
/// schema of its own, dropped and re-created on every run, so production tables stay untouched and every run starts empty.
/// </summary>
public static class BenchDatabase
{
    /// <summary>A migrated, empty store in <paramref name="schema"/>, as the schema owner, with the given append mode.</summary>
    public static async Task<DocumentStore> FreshStoreAsync(DatabaseConnections connections, string schema, EventAppendMode mode = EventAppendMode.Quick)
    {
        await ExecuteAsync(connections.Owner, $"drop schema if exists {schema} cascade");
        var store = DocumentStore.For(opts =>
        {
            RecordStore.Configure(opts, connections.Owner, migrate: true);
            opts.DatabaseSchemaName = schema;
            opts.Events.AppendMode = mode;
            // The blob and ledger tables are declared in the production schema; the bench has no use for them here.
            opts.Storage.ExtendedSchemaObjects.Clear();
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L);
    }
}
