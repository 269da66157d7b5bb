using Ai4h.Audit.Domain.Record;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>Checks a <see cref="LedgerBundle"/> offline: signature, every entry, the signed root, order and consistency.</summary>
public static class BundleVerifier
{
    /// <summary>
    /// Verifies the bundle. With <paramref name="trustedVerifierKey"/> the checkpoint must be signed by that key; without it the
    /// key inside the bundle is used, which proves integrity but not who signed (the report says which was used).
    /// </summary>
    public static VerificationReport Verify(LedgerBundle bundle, string? trustedVerifierKey)
    {
        var trusted = !string.IsNullOrWhiteSpace(trustedVerifierKey);
        var keyWords = trusted
            ? "the trusted verifier key"
            : "the verifier key carried inside the bundle (not independently trusted: give the log's published key to pin it)";
        var run = new Run(bundle, trusted);

        Checkpoint checkpoint;
        try { checkpoint = CheckpointNote.Verify(bundle.Checkpoint, trusted ? trustedVerifierKey! : bundle.VerifierKey); }
        catch (NoteVerificationException e) { return run.Fail($"The checkpoint is not validly signed by {keyWords}. {e.Message}"); }
        run.Checkpoint = checkpoint;
        if (checkpoint.Origin != bundle.Origin)
            return run.Fail($"The bundle is labelled for log '{bundle.Origin}' but its signed checkpoint is for log '{checkpoint.Origin}'.");

        var entries = bundle.Entries;
        var leaves = new List<byte[]>(entries.Count);
        foreach (var entry in entries)
        {
            try { leaves.Add(entry.ToLeaf().Hash); }
            catch (FormatException e)
            {
                return run.Fail($"Entry {leaves.Count + 1} (sequence {entry.Sequence}) is incomplete or malformed: {e.Message}.", entry.Sequence);
            }
            run.Checked = leaves.Count;
        }

        if (bundle.LeafHashes is { } recordedHex)
        {
            var recorded = new List<byte[]>(recordedHex.Count);
            foreach (var hex in recordedHex)
            {
                if (!Sha256.IsHex(hex)) return run.Fail($"Recorded leaf hash {recorded.Count + 1} ('{hex}') is not 64 lower-case hexadecimal characters.");
                recorded.Add(Convert.FromHexString(hex));
            }
            if (recorded.Count != checkpoint.Size || !Rfc6962.RootOf(recorded).AsSpan().SequenceEqual(checkpoint.RootHash))
                return run.Fail($"The bundle's recorded leaf hashes ({recorded.Count}) do not reproduce the signed checkpoint "
                    + $"(tree size {checkpoint.Size}): the list of recorded leaf hashes has been altered and cannot be used.");
            if (TamperLocator.FirstDifference(entries, leaves, recorded) is { } difference)
                return run.Fail(difference.Message, difference.Sequence);
        }

        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Sequence > entries[i - 1].Sequence) continue;
            // Name the entry that is out of place: the earlier one if it is too large for its neighbours, else this one.
            var misplaced = i < 2 || entries[i].Sequence > entries[i - 2].Sequence ? entries[i - 1] : entries[i];
            return run.Fail($"Sequence numbers must strictly increase, but entry {i + 1} has sequence {entries[i].Sequence} "
                + $"after sequence {entries[i - 1].Sequence}: entries are duplicated or out of order "
                + $"({misplaced.Describe()} is out of place).", misplaced.Sequence);
        }

        if (entries.Count != checkpoint.Size)
            return run.Fail($"The bundle has {entries.Count} entries but the signed checkpoint covers {checkpoint.Size}: entries have been "
                + (entries.Count < checkpoint.Size ? "removed" : "added") + " since it was signed.");

        if (!Rfc6962.RootOf(leaves).AsSpan().SequenceEqual(checkpoint.RootHash))
            return run.Fail("The entries do not reproduce the signed root hash: at least one entry has been changed, removed, inserted "
                + "or reordered. The bundle has no recorded leaf hashes with which to say which one.");

        var consistency = "";
        if (bundle.Previous is { } previous)
        {
            if (CheckPrevious(previous, checkpoint, leaves, trusted ? trustedVerifierKey! : bundle.VerifierKey, keyWords) is { } problem)
                return run.Fail(problem);
            consistency = $" It is consistent with the earlier checkpoint it cites: the log only grew since then.";
        }

        return run.Pass($"All {entries.Count} entries reproduce the checkpoint of log '{checkpoint.Origin}' (tree size {checkpoint.Size}, "
            + $"root {checkpoint.RootHex}), signed by key '{NoteVerifierKey.Parse(trusted ? trustedVerifierKey! : bundle.VerifierKey).Name}' "
            + $"and checked with {keyWords}.{consistency}");
    }

    private static string? CheckPrevious(LedgerBundlePrevious previous, Checkpoint current, List<byte[]> leaves, string key, string keyWords)
    {
        Checkpoint old;
        try { old = CheckpointNote.Verify(previous.Checkpoint, key); }
        catch (NoteVerificationException e) { return $"The previous checkpoint is not validly signed by {keyWords}. {e.Message}"; }
        if (old.Origin != current.Origin) return $"The previous checkpoint is for another log ('{old.Origin}').";
        if (old.Size > current.Size)
            return $"The previous checkpoint covers {old.Size} entries, more than the current {current.Size}: the log has been cut short.";
        var proof = new List<byte[]>();
        foreach (var hex in previous.ConsistencyProof)
        {
            if (!Sha256.IsHex(hex)) return $"Consistency proof hash {proof.Count + 1} is not 64 lower-case hexadecimal characters.";
            proof.Add(Convert.FromHexString(hex));
        }
        if (!Rfc6962.VerifyConsistency(old.Size, current.Size, old.RootHash, current.RootHash, proof))
            return $"The consistency proof does not show that the previous checkpoint (tree size {old.Size}, root {old.RootHex}) is a "
                + $"prefix of the current one (tree size {current.Size}): the log may have been rewritten since then.";
        // Defence in depth: the first old.Size entries must reproduce the old root themselves.
        if (!Rfc6962.RootOf(leaves[..(int)old.Size]).AsSpan().SequenceEqual(old.RootHash))
            return $"The first {old.Size} entries do not reproduce the previous checkpoint's root {old.RootHex}: they were rewritten after it was signed.";
        return null;
    }

    // Carries what every report needs, so each failure site only says what went wrong.
    private sealed class Run(LedgerBundle bundle, bool trusted)
    {
        public Checkpoint? Checkpoint { get; set; }

        public long Checked { get; set; }

        public VerificationReport Fail(string message, long? sequence = null) =>
            new(false, message, sequence, Checked, Checkpoint?.Size ?? 0, Checkpoint?.RootHex) { UsedTrustedKey = trusted };

        public VerificationReport Pass(string message) =>
            new(true, message, null, bundle.Entries.Count, Checkpoint!.Size, Checkpoint.RootHex) { UsedTrustedKey = trusted };
    }
}
