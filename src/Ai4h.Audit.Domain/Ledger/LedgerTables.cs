using Weasel.Postgresql.Tables;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// Where the ledger lives beside the events: one row per leaf of the Merkle log (an event or a void sequence number,
/// in sequence order) and one per signed checkpoint. Both are append-only for the application role, like the events.
/// </summary>
public static class LedgerTables
{
    public const string Leaves = "ledger_leaves";
    public const string Checkpoints = "ledger_checkpoints";

    public static Table LeavesTable(string schema)
    {
        var table = new Table($"{schema}.{Leaves}");
        // The leaf index is the primary key and the sequence is unique: a second sequencer can never add a second leaf.
        table.AddColumn<long>("leaf_index").AsPrimaryKey();
        table.AddColumn<long>("sequence").NotNull().AddIndex(i => i.IsUnique = true);
        table.AddColumn<short>("kind").NotNull();
        table.AddColumn("leaf_hash", "bytea").NotNull();
        table.AddColumn("event_id", "uuid");
        table.AddColumn("recorded_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    public static Table CheckpointsTable(string schema)
    {
        var table = new Table($"{schema}.{Checkpoints}");
        table.AddColumn<long>("tree_size").AsPrimaryKey();
        table.AddColumn("root_hash", "bytea").NotNull();
        table.AddColumn<string>("note").NotNull();
        table.AddColumn("created_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        return table;
    }
}
