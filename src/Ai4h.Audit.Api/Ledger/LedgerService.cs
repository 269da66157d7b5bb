using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Domain.Record;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ai4h.Audit.Api.Ledger;

/// <summary>A signed tree head as stored: size, root and the C2SP signed note.</summary>
public sealed record StoredCheckpoint(long TreeSize, string RootHash, string Note, DateTimeOffset CreatedAt);

/// <summary>
/// This process's view of the ledger: an in-memory Merkle log that follows the <c>ledger_leaves</c> table (which only
/// the sequencer writes), so any Api instance answers proofs in O(log n), and the signing of checkpoints.
/// </summary>
public sealed class LedgerService(DatabaseConnections connections, IOptions<LedgerSettings> options, ILogger<LedgerService> logger)
{
    private MerkleLog _log = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<CheckpointSigner?> _signer = new(() => LoadSigner(options.Value, logger));

    public LedgerSettings Settings => options.Value;

    public CheckpointSigner? Signer => _signer.Value;

    public string Schema => RecordStore.Schema;

    public NpgsqlConnection Connection() => new(connections.Application);

    /// <summary>Runs <paramref name="read"/> on the log after catching up with every leaf recorded so far.</summary>
    public async Task<T> ReadAsync<T>(Func<MerkleLog, T> read, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
            return read(_log);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the in-memory tree and reads every leaf again (after a restore from backup, or a test's reset).</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _log = new MerkleLog();
            await CatchUpAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        await using var conn = Connection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select leaf_index, leaf_hash from {Schema}.{LedgerTables.Leaves} where leaf_index >= $1 order by leaf_index", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = _log.Size });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var index = reader.GetInt64(0);
            if (index != _log.Size) throw new InvalidOperationException($"the ledger has no leaf {_log.Size} but has {index}: leaves were removed");
            _log.Append(reader.GetFieldValue<byte[]>(1));
        }
    }

    /// <summary>Signs and stores a checkpoint of the log as it is now (or returns the stored one for this size).</summary>
    public async Task<StoredCheckpoint> CheckpointAsync(CancellationToken ct)
    {
        var signer = Signer ?? throw new LedgerNotSigning();
        var (size, root) = await ReadAsync(log => (log.Size, log.Root()), ct);
        if (size == 0) throw DecisionRejected.Conflict("the ledger is empty; there is nothing to checkpoint yet");
        var note = signer.Sign(new Checkpoint(Settings.Origin, size, root));

        await using var conn = Connection();
        await conn.OpenAsync(ct);
        await using (var insert = new NpgsqlCommand(
            $"insert into {Schema}.{LedgerTables.Checkpoints} (tree_size, root_hash, note) values ($1, $2, $3) on conflict (tree_size) do nothing", conn))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = size });
            insert.Parameters.Add(new NpgsqlParameter { Value = root });
            insert.Parameters.Add(new NpgsqlParameter { Value = note });
            await insert.ExecuteNonQueryAsync(ct);
        }
        return await CheckpointAtAsync(size, ct) ?? throw new InvalidOperationException("the checkpoint just stored cannot be read");
    }

    public Task<StoredCheckpoint?> LatestCheckpointAsync(CancellationToken ct) =>
        ReadCheckpointAsync($"select tree_size, root_hash, note, created_at from {Schema}.{LedgerTables.Checkpoints} order by tree_size desc limit 1", null, ct);

    public Task<StoredCheckpoint?> CheckpointAtAsync(long size, CancellationToken ct) =>
        ReadCheckpointAsync($"select tree_size, root_hash, note, created_at from {Schema}.{LedgerTables.Checkpoints} where tree_size = $1", size, ct);

    private async Task<StoredCheckpoint?> ReadCheckpointAsync(string sql, long? size, CancellationToken ct)
    {
        await using var conn = Connection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (size is { } s) cmd.Parameters.Add(new NpgsqlParameter { Value = s });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new StoredCheckpoint(reader.GetInt64(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)), reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3));
    }

    private static CheckpointSigner? LoadSigner(LedgerSettings settings, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(settings.SigningKeyFile) || !File.Exists(settings.SigningKeyFile))
        {
            logger.LogWarning("No ledger signing key (Ai4h:Ledger:SigningKeyFile): leaves are recorded but no checkpoint can be signed");
            return null;
        }
        return new CheckpointSigner(settings.KeyName, Convert.FromBase64String(File.ReadAllText(settings.SigningKeyFile).Trim()));
    }
}

/// <summary>No signing key is configured, so no checkpoint can be made (503).</summary>
public sealed class LedgerNotSigning() : Exception("this server has no ledger signing key configured (Ai4h:Ledger:SigningKeyFile)");
