using System.Text.Json;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// The whole record of one submission as JSON lines, checkable offline (docs/ledger.md, "Submission records"): a header
/// with the signed checkpoint, then every event of every stream the dossier draws on, each with its RFC 6962 inclusion
/// proof against that checkpoint, then the artefacts those events name by SHA-256 (or why one is withheld).
/// Each line holds exactly one of <see cref="Header"/>, <see cref="Event"/> or <see cref="Blob"/>.
/// </summary>
public sealed record SubmissionRecordLine(SubmissionRecordHeader? Header = null, SubmissionRecordEvent? Event = null, SubmissionRecordBlob? Blob = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, Compact);

    /// <summary>Parses one line; throws <see cref="JsonException"/> when it is not one of the three kinds.</summary>
    public static SubmissionRecordLine Parse(string line)
    {
        var parsed = JsonSerializer.Deserialize<SubmissionRecordLine>(line, Compact) ?? throw new JsonException("the line is null");
        var kinds = (parsed.Header is null ? 0 : 1) + (parsed.Event is null ? 0 : 1) + (parsed.Blob is null ? 0 : 1);
        return kinds == 1 ? parsed : throw new JsonException("a line holds exactly one of 'header', 'event' or 'blob'");
    }

    // One object per line: the ledger bundle's options without indentation.
    private static readonly JsonSerializerOptions Compact = new(LedgerBundle.JsonOptions) { WriteIndented = false };
}

/// <summary>What the record covers and the signed checkpoint its proofs lead to.</summary>
public sealed record SubmissionRecordHeader
{
    public const string CurrentFormat = "ai4h-submission-record/1";

    public required string Format { get; init; }

    public required Guid SubmissionId { get; init; }

    public required string Origin { get; init; }

    /// <summary>The signed checkpoint note every inclusion proof is checked against.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The key the log says it signs with; a verifier should pin the published key instead.</summary>
    public required string VerifierKey { get; init; }

    /// <summary>The last sequence number the checkpoint covers: the record holds every event of its streams up to here.</summary>
    public required long ThroughSequence { get; init; }

    /// <summary>The content hash of the dossier as of <see cref="ThroughSequence"/>, to match against a PDF or JSON export.</summary>
    public required string DossierSha256 { get; init; }

    public required int Events { get; init; }

    public required int Blobs { get; init; }
}

/// <summary>One event with the leaf index it was sequenced at and the proof that this leaf is in the checkpoint's tree.</summary>
public sealed record SubmissionRecordEvent(long LeafIndex, LedgerBundleEntry Entry, IReadOnlyList<string> InclusionProof);

/// <summary>An artefact an event names by SHA-256: its bytes (base64), or, for one that may not leave the platform, why not.</summary>
public sealed record SubmissionRecordBlob(string Sha256, string Role, string? ContentBase64 = null, string? Withheld = null);

/// <summary>Checks a submission record offline: the checkpoint's signature, every event's leaf and proof, every artefact's bytes.</summary>
public static class SubmissionRecordVerifier
{
    public static VerificationReport Verify(IReadOnlyList<string> lines, string? trustedVerifierKey)
    {
        var trusted = !string.IsNullOrWhiteSpace(trustedVerifierKey);
        var keyWords = trusted ? "the trusted verifier key" : "the verifier key carried inside the record (not independently trusted: give the log's published key to pin it)";
        Checkpoint? checkpoint = null;
        long checkedEvents = 0;
        VerificationReport Fail(string message, long? sequence = null) =>
            new(false, message, sequence, checkedEvents, checkpoint?.Size ?? 0, checkpoint?.RootHex) { UsedTrustedKey = trusted };

        var parsed = new List<SubmissionRecordLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0 && i == lines.Count - 1) break; // a final newline
            try { parsed.Add(SubmissionRecordLine.Parse(lines[i])); }
            catch (JsonException e) { return Fail($"Line {i + 1} is not a record line: {e.Message}"); }
        }
        if (parsed.Count == 0 || parsed[0].Header is not { } header) return Fail("Line 1 must be the record's header.");
        if (header.Format != SubmissionRecordHeader.CurrentFormat)
            return Fail($"The record's format is '{header.Format}'; this verifier reads '{SubmissionRecordHeader.CurrentFormat}'.");
        try { checkpoint = CheckpointNote.Verify(header.Checkpoint, trusted ? trustedVerifierKey! : header.VerifierKey); }
        catch (NoteVerificationException e) { return Fail($"The checkpoint is not validly signed by {keyWords}. {e.Message}"); }
        if (checkpoint.Origin != header.Origin)
            return Fail($"The record is labelled for log '{header.Origin}' but its signed checkpoint is for log '{checkpoint.Origin}'.");

        var events = new List<LedgerBundleEntry>();
        var blobs = new List<SubmissionRecordBlob>();
        for (var i = 1; i < parsed.Count; i++)
        {
            var lineNumber = i + 1;
            if (parsed[i].Header is not null) return Fail($"Line {lineNumber} is a second header.");
            if (parsed[i].Event is { } e)
            {
                if (blobs.Count > 0) return Fail($"Line {lineNumber}: events come before artefacts.");
                if (e.Entry.IsVoid) return Fail($"Line {lineNumber}: a submission record holds events only, not void sequence numbers.", e.Entry.Sequence);
                if (events.Count > 0 && e.Entry.Sequence <= events[^1].Sequence)
                    return Fail($"Line {lineNumber}: sequence {e.Entry.Sequence} follows {events[^1].Sequence}; events are duplicated or out of order.", e.Entry.Sequence);
                if (e.Entry.Sequence > header.ThroughSequence)
                    return Fail($"Line {lineNumber}: sequence {e.Entry.Sequence} is after the record's last sequence {header.ThroughSequence}.", e.Entry.Sequence);
                byte[] leaf;
                try { leaf = e.Entry.ToLeaf().Hash; }
                catch (FormatException x) { return Fail($"Line {lineNumber} ({e.Entry.Describe()}) is incomplete or malformed: {x.Message}.", e.Entry.Sequence); }
                var proof = new List<byte[]>();
                foreach (var hex in e.InclusionProof)
                {
                    if (!Record.Sha256.IsHex(hex)) return Fail($"Line {lineNumber}: proof hash '{hex}' is not 64 lower-case hexadecimal characters.", e.Entry.Sequence);
                    proof.Add(Convert.FromHexString(hex));
                }
                if (!Rfc6962.VerifyInclusion(leaf, e.LeafIndex, checkpoint.Size, proof, checkpoint.RootHash))
                    return Fail($"Line {lineNumber}: {e.Entry.Describe()} is not in the signed tree at leaf {e.LeafIndex}: the event was changed after it " +
                                "was sequenced, or its proof does not belong to this checkpoint.", e.Entry.Sequence);
                events.Add(e.Entry);
                checkedEvents++;
            }
            else blobs.Add(parsed[i].Blob!);
        }
        if (events.Count != header.Events)
            return Fail($"The header announces {header.Events} events but the record holds {events.Count}: events were removed or added.");
        if (blobs.Count != header.Blobs)
            return Fail($"The header announces {header.Blobs} artefacts but the record holds {blobs.Count}: artefacts were removed or added.");

        var withheld = new List<string>();
        foreach (var blob in blobs)
        {
            // An artefact counts only when a proven event names it: that is what binds the bytes to the record.
            if (!Record.Sha256.IsHex(blob.Sha256) || !events.Any(e => e.Data?.Contains(blob.Sha256, StringComparison.Ordinal) == true))
                return Fail($"Artefact {blob.Sha256} ({blob.Role}) is not named by any event in the record.");
            if (blob.ContentBase64 is null)
            {
                if (string.IsNullOrWhiteSpace(blob.Withheld)) return Fail($"Artefact {blob.Sha256} ({blob.Role}) has neither content nor a reason it was withheld.");
                withheld.Add($"{blob.Role} ({blob.Withheld})");
                continue;
            }
            byte[] bytes;
            try { bytes = Convert.FromBase64String(blob.ContentBase64); }
            catch (FormatException) { return Fail($"Artefact {blob.Sha256} ({blob.Role}): its content is not base64."); }
            if (Record.Sha256.Hex(bytes) != blob.Sha256)
                return Fail($"Artefact {blob.Sha256} ({blob.Role}): its bytes hash to {Record.Sha256.Hex(bytes)}, not to what the record names: the file was altered.");
        }

        var keyName = NoteVerifierKey.Parse(trusted ? trustedVerifierKey! : header.VerifierKey).Name;
        return new VerificationReport(true,
            $"All {events.Count} events of submission {header.SubmissionId} are in the checkpoint of log '{checkpoint.Origin}' (tree size {checkpoint.Size}, " +
            $"root {checkpoint.RootHex}), signed by key '{keyName}' and checked with {keyWords}; {blobs.Count - withheld.Count} artefacts match their hashes" +
            (withheld.Count > 0 ? $"; withheld, checked by hash only where you hold a copy: {string.Join(", ", withheld)}" : "") + ".",
            null, events.Count, checkpoint.Size, checkpoint.RootHex) { UsedTrustedKey = trusted };
    }
}
