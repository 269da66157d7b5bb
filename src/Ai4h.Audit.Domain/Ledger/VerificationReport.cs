namespace Ai4h.Audit.Domain.Ledger;

/// <summary>The outcome of verifying a <see cref="LedgerBundle"/>, worded for a reader who is not an engineer.</summary>
public sealed record VerificationReport(
    bool Ok,
    string Message,
    long? FirstBadSequence,
    long CheckedEntries,
    long TreeSize,
    string? RootHex)
{
    /// <summary>True when the checkpoint was checked with a key the caller supplied rather than the one inside the bundle.</summary>
    public bool UsedTrustedKey { get; init; }
}
