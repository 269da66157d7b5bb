// Offline verifier for ledger bundles and submission records (docs/ledger.md).
// Exit codes: 0 verified, 1 verification failed, 2 usage or unreadable file.
using System.Text.Json;
using Ai4h.Audit.Domain.Ledger;

const string Usage = "usage: dotnet Ai4h.Audit.Verify.dll <bundle.json | record.jsonl> [--key <verifierKey>]";

string? path = null, key = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--key" && i + 1 < args.Length) key = args[++i];
    else if (args[i] is "-h" or "--help") { Console.WriteLine(Usage); return 0; }
    else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal)) path = args[i];
    else return UsageError($"unexpected argument '{args[i]}'");
}
if (path is null) return UsageError("no bundle file given");

string text;
try { text = File.ReadAllText(path); }
catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return UsageError($"cannot read '{path}': {e.Message}"); }

VerificationReport report;
string what;
try { (report, what) = LedgerFileVerifier.Verify(text, key); }
catch (JsonException e) { return UsageError($"'{path}' is neither a ledger bundle nor a submission record: {e.Message}"); }

if (!report.Ok)
{
    Console.Error.WriteLine($"FAILED: {report.Message}");
    return 1;
}
Console.WriteLine($"OK: {report.CheckedEntries} entries, tree size {report.TreeSize}, root {report.RootHex}, {what}");
Console.WriteLine(report.Message);
if (!report.UsedTrustedKey)
    Console.Error.WriteLine("warning: checked with the key inside the file; pass --key with the log's published verifier key to know who signed it.");
return 0;

static int UsageError(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
