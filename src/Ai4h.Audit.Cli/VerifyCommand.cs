using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Ledger;

namespace Ai4h.Audit.Cli;

/// <summary>
/// <c>ai4h verify</c>: the offline verifier (the Domain's BundleVerifier and SubmissionRecordVerifier, as in
/// src/Ai4h.Audit.Verify). It reads a file and a key; it opens no database or network connection.
/// </summary>
public static class VerifyCommand
{
    public static Command Build(CliApp app)
    {
        var file = new Argument<FileInfo>("bundle") { Description = "A ledger bundle (bundle export) or a submission record (JSON lines)." };
        var key = new Option<string>("--key")
        {
            Description = "The log's published verifier key (name+id+key). It is public, so it may be an argument. Without it the key inside " +
                          "the file is used, which proves integrity but not who signed (a warning says so).",
            HelpName = "verifier key",
        };
        var command = new Command("verify",
            "Check a ledger bundle or submission record offline: every leaf and the root recomputed, the signed checkpoint, proofs and artefacts. " +
            "Prints OK, or fails with exit code 5 naming what does not match.")
            { file, key };
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(file)!;
            var text = System.Text.Encoding.UTF8.GetString(CliApp.ReadInput(path, "bundle"));
            var trusted = parsed.GetValue(key);

            VerificationReport report;
            string what;
            try { (report, what) = LedgerFileVerifier.Verify(text, trusted); }
            catch (JsonException e)
            {
                throw new CliFailure(ExitCodes.LocalFile, $"'{path}' is neither a ledger bundle nor a submission record: {e.Message}");
            }

            if (parsed.GetValue(app.Json))
                app.Out.WriteLine(new JsonObject
                {
                    ["ok"] = report.Ok, ["message"] = report.Message, ["firstBadSequence"] = report.FirstBadSequence,
                    ["checkedEntries"] = report.CheckedEntries, ["treeSize"] = report.TreeSize, ["rootHash"] = report.RootHex,
                    ["usedTrustedKey"] = report.UsedTrustedKey, ["what"] = what,
                }.ToJsonString(Tables.JsonOutput));
            if (!report.Ok) throw new CliFailure(ExitCodes.CheckFailed, $"FAILED: {report.Message}");
            if (!parsed.GetValue(app.Json))
            {
                app.Out.WriteLine($"OK: {report.CheckedEntries} entries, tree size {report.TreeSize}, root {report.RootHex}, {what}");
                app.Out.WriteLine(report.Message);
            }
            if (!report.UsedTrustedKey)
                app.Console.Error.WriteLine("warning: checked with the key inside the file; pass --key with the log's published verifier key to know who signed it.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
