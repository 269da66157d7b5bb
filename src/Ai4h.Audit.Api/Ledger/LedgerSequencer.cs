using Ai4h.Audit.Domain.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Ai4h.Audit.Api.Ledger;

/// <summary>What the sequencer is doing, for the status endpoint and for operators.</summary>
public sealed record SequencerStatus(bool Active, long LastSequence, long? BlockedAtSequence, DateTimeOffset? BlockedSince);

/// <summary>
/// Appends every event, in store (sequence) order, as a leaf of the Merkle log. Only one instance sequences at a time:
/// it holds a PostgreSQL advisory lock on a connection it keeps open (a crashed instance's lock goes with its
/// connection, and another takes over). The leaf table's keys are the backstop: no leaf index or sequence twice.
/// A missing sequence number blocks the ledger: it is never skipped. Once it has stayed missing for
/// <see cref="LedgerSettings.GapSettle"/> with no transaction still open that could commit it, it was rolled back,
/// and a void leaf says so in the signed log; while blocked longer than <see cref="LedgerSettings.GapAlertAfter"/>
/// the sequencer logs an error every round.
/// </summary>
public sealed class LedgerSequencer(LedgerService ledger, ILogger<LedgerSequencer> logger) : BackgroundService
{
    /// <summary>The advisory lock key ("a4ledger" in ASCII) that elects the one sequencer.</summary>
    public const long LockKey = 0x61346C6564676572;

    private volatile SequencerStatus _status = new(false, 0, null, null);
    private (long Sequence, DateTimeOffset Since)? _gap;
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.MinValue;

    public SequencerStatus Status => _status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = ledger.Settings;
        if (!settings.SequencerEnabled)
        {
            logger.LogInformation("The ledger sequencer is disabled in this process (Ai4h:Ledger:SequencerEnabled)");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lockConnection = ledger.Connection();
                await lockConnection.OpenAsync(stoppingToken);
                if (!await TryLockAsync(lockConnection, stoppingToken))
                {
                    _status = _status with { Active = false };
                    await Task.Delay(settings.SequencerInterval * 8, stoppingToken);
                    continue;
                }
                logger.LogInformation("This instance sequences the ledger");
                while (!stoppingToken.IsCancellationRequested)
                {
                    var appended = await SequenceOnceAsync(stoppingToken);
                    if (appended > 0 && ledger.Signer is not null && DateTimeOffset.UtcNow - _lastCheckpoint >= settings.CheckpointInterval)
                    {
                        await ledger.CheckpointAsync(stoppingToken);
                        _lastCheckpoint = DateTimeOffset.UtcNow;
                    }
                    if (appended < settings.BatchSize) await Task.Delay(settings.SequencerInterval, stoppingToken);
                    // The lock lives as long as this connection; if it broke, start over and compete for it again.
                    await using var ping = new NpgsqlCommand("select 1", lockConnection);
                    await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _status = _status with { Active = false };
                logger.LogError(e, "The ledger sequencer failed; it starts again");
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock($1)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = LockKey });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>One round: the next events after the last leaf become leaves, in one transaction. Returns how many.</summary>
    public async Task<int> SequenceOnceAsync(CancellationToken ct)
    {
        var settings = ledger.Settings;
        await using var conn = ledger.Connection();
        await conn.OpenAsync(ct);
        var (nextIndex, lastSequence) = await LastLeafAsync(conn, ct);
        var events = await LedgerEvents.ReadAsync(conn, ledger.Schema, lastSequence, null, settings.BatchSize, ct);

        var leaves = new List<(LedgerLeaf Leaf, Guid? EventId)>();
        var expected = lastSequence + 1;
        foreach (var e in events)
        {
            if (e.Sequence > expected)
            {
                if (!await GapSettledAsync(conn, expected, e.Sequence - 1, ct)) break;
                for (var s = expected; s < e.Sequence; s++) leaves.Add((LedgerLeaf.Void(s), null));
            }
            leaves.Add((e.Leaf(), e.EventId));
            expected = e.Sequence + 1;
        }
        if (leaves.Count > 0 && _gap is { } gap && gap.Sequence < expected) _gap = null;

        if (leaves.Count > 0) await InsertAsync(conn, nextIndex, leaves, ct);
        _status = new SequencerStatus(true, leaves.Count > 0 ? leaves[^1].Leaf.Sequence : lastSequence, _gap?.Sequence, _gap?.Since);
        return leaves.Count;
    }

    private async Task<(long NextIndex, long LastSequence)> LastLeafAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select coalesce(max(leaf_index) + 1, 0), coalesce(max(sequence), 0) from {ledger.Schema}.{LedgerTables.Leaves}", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Whether the missing numbers <paramref name="from"/>..<paramref name="to"/> can be recorded as never committed:
    /// missing for the settle time, and no transaction of the application open since before they were first missed.
    /// </summary>
    private async Task<bool> GapSettledAsync(NpgsqlConnection conn, long from, long to, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (_gap is not { } gap || gap.Sequence != from)
        {
            _gap = (from, now);
            logger.LogWarning("Ledger waits at sequence {Sequence}: it is missing while later events exist", from);
            return false;
        }
        var waited = now - gap.Since;
        if (waited < ledger.Settings.GapSettle) return false;

        await using var cmd = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where datname = current_database() and backend_xid is not null and xact_start < $1 and pid <> pg_backend_pid()", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = gap.Since });
        var open = (long)(await cmd.ExecuteScalarAsync(ct))!;
        if (open > 0)
        {
            if (waited >= ledger.Settings.GapAlertAfter)
                logger.LogError("Ledger blocked at sequence {Sequence} for {Seconds:0} s: {Open} transaction(s) that could still commit it are open",
                    from, waited.TotalSeconds, open);
            return false;
        }
        logger.LogWarning("Sequence numbers {From}–{To} were never committed (rolled back); recorded as void leaves", from, to);
        return true;
    }

    private async Task InsertAsync(NpgsqlConnection conn, long nextIndex, List<(LedgerLeaf Leaf, Guid? EventId)> leaves, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            insert into {ledger.Schema}.{LedgerTables.Leaves} (leaf_index, sequence, kind, leaf_hash, event_id)
            select * from unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::bytea[], $5::uuid[])
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, leaves.Count).Select(i => nextIndex + i).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => l.Leaf.Sequence).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => (short)l.Leaf.Kind).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => l.Leaf.Hash).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => l.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
