using System.Text.Json;

namespace Ai4h.Audit.Domain.Ledger;

/// <summary>
/// Verifies an exported file of either kind: a submission record (JSON lines whose first line is its header) or a
/// whole-record ledger bundle (one JSON document). Shared by the offline verifier program and the CLI.
/// </summary>
public static class LedgerFileVerifier
{
    /// <summary>
    /// The report and what was checked ("submission record" or "checkpoint &lt;origin&gt;"); throws <see cref="JsonException"/>
    /// when the text is neither kind.
    /// </summary>
    public static (VerificationReport Report, string What) Verify(string text, string? trustedVerifierKey)
    {
        if (text.StartsWith("{\"header\":", StringComparison.Ordinal))
            return (SubmissionRecordVerifier.Verify(text.Split('\n'), trustedVerifierKey), "submission record");
        var bundle = LedgerBundle.Parse(text);
        return (BundleVerifier.Verify(bundle, trustedVerifierKey), $"checkpoint {bundle.Origin}");
    }
}
