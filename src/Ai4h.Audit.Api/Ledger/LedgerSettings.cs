namespace Ai4h.Audit.Api.Ledger;

/// <summary>How the ledger is kept and signed (configuration section <c>Ai4h:Ledger</c>).</summary>
public sealed class LedgerSettings
{
    public const string Section = "Ai4h:Ledger";

    /// <summary>The log's name in its checkpoints (C2SP origin line): says which log a checkpoint belongs to.</summary>
    public string Origin { get; set; } = "ai4h.audit/ledger";

    /// <summary>The signing key's name in checkpoint signatures and in the published verifier key.</summary>
    public string KeyName { get; set; } = "ai4h-audit-ledger";

    /// <summary>
    /// File holding the Ed25519 private seed (base64), made by <c>ledger-key</c>. Without it the ledger still records
    /// leaves, but no checkpoint can be signed (the checkpoint endpoints answer 503).
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Whether this process runs the sequencer (several may: one at a time sequences, the others stand by).</summary>
    public bool SequencerEnabled { get; set; } = true;

    /// <summary>How often the sequencer looks for new events when it found none.</summary>
    public TimeSpan SequencerInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Events read and turned into leaves per round.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// How long a missing sequence number must stay missing, with no transaction that could still commit it, before
    /// it is recorded as a void leaf (a rolled-back transaction). Until then the ledger waits at it.
    /// </summary>
    public TimeSpan GapSettle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long blocked at one missing sequence number, the sequencer logs an error (an alert).</summary>
    public TimeSpan GapAlertAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a checkpoint is signed while the log grows.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);
}
