using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Domain.Record;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Ledger;

public sealed record LedgerKey(string Origin, string VerifierKey);

public sealed record InclusionProofResponse(long Sequence, long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> Proof, string RootHash,
    StoredCheckpoint Checkpoint);

public sealed record ConsistencyProofResponse(long FromSize, long ToSize, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);

/// <summary>The tamper-evident ledger: signed checkpoints, proofs, the Api's own check, and bundles for offline verification.</summary>
public static class LedgerEndpoints
{
    [EndpointSummary("The ledger's origin and the public key that verifies its checkpoints (C2SP verifier key)")]
    [WolverineGet("/api/ledger/public-key", Name = "GetLedgerPublicKey")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static LedgerKey PublicKey(LedgerService ledger) =>
        new(ledger.Settings.Origin, (ledger.Signer ?? throw new LedgerNotSigning()).VerifierKey);

    [EndpointSummary("The sequencer's state: whether this instance sequences, the last sequence number, and any missing number it waits at")]
    [WolverineGet("/api/ledger/status", Name = "GetLedgerStatus")]
    [Authorize(Roles = RoleSets.LedgerReaders)]
    public static async Task<object> Status(LedgerService ledger, LedgerSequencer sequencer, CancellationToken ct) => new
    {
        treeSize = await ledger.ReadAsync(log => log.Size, ct),
        sequencer = sequencer.Status,
        latestCheckpoint = await ledger.LatestCheckpointAsync(ct),
    };

    [EndpointSummary("The latest signed checkpoint (tree size, root hash, C2SP signed note)")]
    [WolverineGet("/api/ledger/checkpoints/latest", Name = "GetLatestCheckpoint")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<StoredCheckpoint> Latest(LedgerService ledger, CancellationToken ct) =>
        await ledger.LatestCheckpointAsync(ct) ?? throw DecisionRejected.NotFound("no checkpoint has been signed yet");

    [EndpointSummary("A signed checkpoint of a given tree size")]
    [WolverineGet("/api/ledger/checkpoints/{treeSize}", Name = "GetCheckpoint")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<StoredCheckpoint> At(long treeSize, LedgerService ledger, CancellationToken ct) =>
        await ledger.CheckpointAtAsync(treeSize, ct) ?? throw DecisionRejected.NotFound($"no checkpoint of tree size {treeSize} was signed");

    [EndpointSummary("Sign a checkpoint of the ledger as it is now")]
    [WolverinePost("/api/ledger/checkpoints", Name = "SignCheckpoint")]
    [Authorize(Roles = RoleSets.CheckpointRequesters)]
    public static async Task<IResult> Sign(LedgerService ledger, CancellationToken ct)
    {
        var checkpoint = await ledger.CheckpointAsync(ct);
        return Results.Created($"/api/ledger/checkpoints/{checkpoint.TreeSize}", checkpoint);
    }

    [EndpointSummary("Inclusion proof of an event (by sequence number) in the tree of the latest checkpoint, or of a given tree size")]
    [WolverineGet("/api/ledger/proofs/inclusion/{sequence}", Name = "GetInclusionProof")]
    [Authorize(Roles = RoleSets.LedgerReaders)]
    public static async Task<InclusionProofResponse> Inclusion(long sequence, long? treeSize, LedgerService ledger, CancellationToken ct)
    {
        var checkpoint = treeSize is { } size
            ? await ledger.CheckpointAtAsync(size, ct) ?? throw DecisionRejected.NotFound($"no checkpoint of tree size {size} was signed")
            : await Latest(ledger, ct);
        await using var conn = ledger.Connection();
        await conn.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand($"select leaf_index from {ledger.Schema}.{LedgerTables.Leaves} where sequence = $1", conn);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sequence });
        var index = await cmd.ExecuteScalarAsync(ct) as long? ?? throw DecisionRejected.NotFound($"sequence {sequence} is not in the ledger (yet)");
        if (index >= checkpoint.TreeSize) throw DecisionRejected.NotFound($"sequence {sequence} is leaf {index}, after checkpoint {checkpoint.TreeSize}; ask for a later one");

        return await ledger.ReadAsync(log => new InclusionProofResponse(sequence, index, checkpoint.TreeSize, Hex(log.LeafHash(index)),
            log.InclusionProof(index, checkpoint.TreeSize).Select(Hex).ToList(), Hex(log.Root(checkpoint.TreeSize)), checkpoint), ct);
    }

    [EndpointSummary("Consistency proof between two tree sizes: the larger tree extends the smaller one unchanged")]
    [WolverineGet("/api/ledger/proofs/consistency", Name = "GetConsistencyProof")]
    [Authorize(Roles = RoleSets.LedgerReaders)]
    public static async Task<ConsistencyProofResponse> Consistency(long from, long to, LedgerService ledger, CancellationToken ct) =>
        await ledger.ReadAsync(log =>
        {
            if (from < 1 || from > to) throw DecisionRejected.Invalid("from", "must be at least 1 and at most 'to'");
            if (to > log.Size) throw DecisionRejected.Invalid("to", $"the ledger has {log.Size} leaves");
            return new ConsistencyProofResponse(from, to, Hex(log.Root(from)), Hex(log.Root(to)), log.ConsistencyProof(from, to).Select(Hex).ToList());
        }, ct);

    [EndpointSummary("Check the whole store against the ledger and its latest signed checkpoint; a failure names the first event that does not match")]
    [WolverineGet("/api/ledger/verification", Name = "VerifyLedger")]
    [Authorize(Roles = RoleSets.LedgerReaders)]
    public static Task<LedgerCheckReport> Verify(LedgerService ledger, CancellationToken ct) => LedgerCheck.RunAsync(ledger, ct);

    [EndpointSummary("Export the record up to a signed checkpoint as a bundle for the offline verifier (every event, void numbers, recorded leaf hashes)")]
    [EndpointDescription("The events are read from the store as they are now, so anything altered after it was sequenced shows up in the verifier. " +
                         "Give 'previous' (an earlier checkpoint's tree size) to include the consistency proof from it.")]
    [WolverineGet("/api/ledger/bundle", Name = "ExportLedgerBundle")]
    [Authorize(Roles = RoleSets.BundleReaders)]
    public static async Task<IResult> Bundle(long? treeSize, long? previous, LedgerService ledger, CancellationToken ct)
    {
        var checkpoint = treeSize is { } size
            ? await ledger.CheckpointAtAsync(size, ct) ?? throw DecisionRejected.NotFound($"no checkpoint of tree size {size} was signed")
            : await Latest(ledger, ct);
        LedgerBundlePrevious? earlier = null;
        if (previous is { } p)
        {
            var old = await ledger.CheckpointAtAsync(p, ct) ?? throw DecisionRejected.NotFound($"no checkpoint of tree size {p} was signed");
            if (old.TreeSize > checkpoint.TreeSize) throw DecisionRejected.Invalid("previous", "must be a checkpoint no larger than the bundle's");
            var proof = await ledger.ReadAsync(log => log.ConsistencyProof(old.TreeSize, checkpoint.TreeSize), ct);
            earlier = new LedgerBundlePrevious(old.Note, proof.Select(Hex).ToList());
        }

        await using var conn = ledger.Connection();
        await conn.OpenAsync(ct);
        var leaves = await LedgerCheck.ReadLeavesAsync(conn, ledger.Schema, checkpoint.TreeSize, ct);
        var last = leaves.Count == 0 ? 0 : leaves[^1].Sequence;
        var events = (await LedgerEvents.ReadAsync(conn, ledger.Schema, 0, last, int.MaxValue, ct)).ToDictionary(e => e.Sequence);
        // Every sequence number the checkpoint covers, as the store holds it now: an event, or void where there is none.
        var entries = new List<LedgerBundleEntry>();
        for (var s = 1L; s <= last; s++)
        {
            if (!events.TryGetValue(s, out var e)) { entries.Add(LedgerBundleEntry.ForVoid(s)); continue; }
            var entry = LedgerBundleEntry.ForEvent(s, e.StreamId, e.StreamVersion, e.EventType, e.Timestamp, e.Actor, e.Data, e.EventId);
            // Password hashes never leave the platform: such events travel as the hash of their content.
            entries.Add(RedactedEventTypes.Contains(e.EventType) ? entry.Redacted() : entry);
        }

        var bundle = new LedgerBundle
        {
            Origin = ledger.Settings.Origin,
            Checkpoint = checkpoint.Note,
            VerifierKey = (ledger.Signer ?? throw new LedgerNotSigning()).VerifierKey,
            Entries = entries,
            LeafHashes = leaves.Select(l => Hex(l.Hash)).ToList(),
            Previous = earlier,
        };
        return Results.Text(bundle.ToJson(), "application/json");
    }

    /// <summary>Event types whose stored JSON is exported only as its SHA-256 (docs/ledger.md, "Redacted entries").</summary>
    public static readonly IReadOnlySet<string> RedactedEventTypes = new HashSet<string>(["password_set", "api_key_issued"], StringComparer.Ordinal);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
