using Ai4h.Audit.Domain.Ledger;
using Npgsql;

namespace Ai4h.Audit.Api.Ledger;

/// <summary>The outcome of checking the store against the ledger; a failure names the first sequence number that does not match.</summary>
public sealed record LedgerCheckReport(bool Ok, string Message, long? FirstBadSequence, Guid? EventId, long TreeSize, long CheckedLeaves);

/// <summary>One recorded leaf as stored.</summary>
public sealed record RecordedLeaf(long Index, long Sequence, LedgerLeafKind Kind, byte[] Hash, Guid? EventId);

/// <summary>
/// The Api's own verification: the recorded leaves must hash to the latest signed checkpoint, and every event in the
/// store must still produce the leaf recorded for its sequence number. Catches events changed, deleted, inserted or
/// moved after they were sequenced, and leaves changed after they were signed.
/// </summary>
public static class LedgerCheck
{
    public static async Task<LedgerCheckReport> RunAsync(LedgerService ledger, CancellationToken ct)
    {
        var checkpoint = await ledger.LatestCheckpointAsync(ct);
        if (checkpoint is null) return new(false, "there is no signed checkpoint yet", null, null, 0, 0);
        var signer = ledger.Signer ?? throw new LedgerNotSigning();
        Checkpoint signed;
        try { signed = CheckpointNote.Verify(checkpoint.Note, signer.VerifierKey); }
        catch (Exception e) { return new(false, $"the stored checkpoint of size {checkpoint.TreeSize} does not verify: {e.Message}", null, null, checkpoint.TreeSize, 0); }

        await using var conn = ledger.Connection();
        await conn.OpenAsync(ct);
        var leaves = await ReadLeavesAsync(conn, ledger.Schema, signed.Size, ct);
        if (leaves.Count != signed.Size || !Rfc6962.RootOf(leaves.Select(l => l.Hash).ToList()).SequenceEqual(signed.RootHash))
            return new(false, $"the recorded leaves no longer hash to the signed checkpoint of size {signed.Size}: the ledger table was altered",
                null, null, signed.Size, 0);

        var last = leaves.Count == 0 ? 0 : leaves[^1].Sequence;
        var events = (await LedgerEvents.ReadAsync(conn, ledger.Schema, 0, last, int.MaxValue, ct)).ToDictionary(e => e.Sequence);
        var covered = new HashSet<long>();
        foreach (var leaf in leaves)
        {
            covered.Add(leaf.Sequence);
            events.TryGetValue(leaf.Sequence, out var stored);
            if (leaf.Kind == LedgerLeafKind.Void)
            {
                if (stored is not null)
                    return Bad($"sequence {leaf.Sequence} was recorded as never committed, but the store now holds event {stored.EventId} ({stored.EventType}): it was inserted",
                        leaf, stored.EventId);
                continue;
            }
            if (stored is null)
                return Bad($"sequence {leaf.Sequence}: event {leaf.EventId} recorded in the ledger is missing from the store (deleted or moved)", leaf, leaf.EventId);
            if (!stored.Leaf().Hash.SequenceEqual(leaf.Hash))
                return Bad($"sequence {leaf.Sequence}: event {stored.EventId} ({stored.EventType}) no longer matches what the ledger recorded " +
                           (stored.EventId == leaf.EventId ? "(its content, type, stream, time or actor was changed)" : $"(the ledger recorded event {leaf.EventId} here: events were reordered or replaced)"),
                    leaf, stored.EventId);
        }
        var stray = events.Keys.Where(s => !covered.Contains(s)).Order().FirstOrDefault();
        if (stray != 0)
            return new(false, $"sequence {stray}: event {events[stray].EventId} is in the store inside the signed range but not in the ledger: it was inserted",
                stray, events[stray].EventId, signed.Size, leaves.Count);
        return new(true, $"all {leaves.Count} leaves match the store and the signed checkpoint of size {signed.Size}", null, null, signed.Size, leaves.Count);

        LedgerCheckReport Bad(string message, RecordedLeaf leaf, Guid? eventId) => new(false, message, leaf.Sequence, eventId, signed.Size, leaf.Index);
    }

    public static async Task<List<RecordedLeaf>> ReadLeavesAsync(NpgsqlConnection conn, string schema, long count, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select leaf_index, sequence, kind, leaf_hash, event_id from {schema}.{LedgerTables.Leaves} where leaf_index < $1 order by leaf_index", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = count });
        var leaves = new List<RecordedLeaf>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            leaves.Add(new RecordedLeaf(reader.GetInt64(0), reader.GetInt64(1), (LedgerLeafKind)reader.GetInt16(2), reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4)));
        return leaves;
    }
}
