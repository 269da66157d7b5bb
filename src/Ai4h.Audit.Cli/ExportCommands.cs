using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Ai4h.Audit.Cli.Tables;

namespace Ai4h.Audit.Cli;

/// <summary><c>ai4h dossier export</c> and <c>ai4h bundle export</c>: files that leave the platform.</summary>
public static class ExportCommands
{
    public static Command Dossier(CliApp app)
    {
        var submission = Arguments.Id("submission", "The submission whose dossier to export.");
        var format = new Option<string>("--format")
        {
            Description = "pdf (for people) or json (its machine-readable twin).",
            DefaultValueFactory = _ => "pdf",
        };
        format.AcceptOnlyFromAmong("pdf", "json");
        var asOf = new Option<long?>("--as-of-sequence")
        {
            Description = "The dossier as the record stood after this event sequence number (e.g. what the regulator saw when deciding).",
            HelpName = "n",
        };
        var purpose = new Option<string>("--purpose") { Description = "Why it is exported (recorded with the export)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The file to write.", Required = true, HelpName = "file" };
        var export = new Command("export", "Export a submission's dossier, built from the events, as PDF or JSON; the export is recorded.")
            { submission, format, asOf, purpose, output };
        export.SetAction(async (parsed, ct) =>
        {
            var query = new List<string> { $"format={parsed.GetValue(format)}" };
            if (parsed.GetValue(asOf) is { } n) query.Add($"asOfSequence={n.ToString(CultureInfo.InvariantCulture)}");
            if (parsed.GetValue(purpose) is { } p) query.Add($"purpose={Uri.EscapeDataString(p)}");
            var (bytes, name) = await app.Client(parsed).DownloadAsync(
                $"/api/submissions/{parsed.GetValue(submission)}/dossier/export?{string.Join('&', query)}", ct);
            var file = parsed.GetValue(output)!;
            await CliApp.WriteOutputAsync(file, bytes, ct);
            // The Api names the file after the last event the dossier reflects: dossier-<id>-seq<N>.<format>.
            var reflects = name is not null && name.LastIndexOf("-seq", StringComparison.Ordinal) is var i and >= 0
                ? name[(i + 4)..name.LastIndexOf('.')] : null;
            var contentSha = parsed.GetValue(format) == "json" ? S(JsonNode.Parse(bytes)?["contentSha256"]) : null;
            return Written(app, parsed, file, bytes,
                ("reflects", reflects is null ? null : $"events up to sequence {reflects}"),
                ("dossier sha256", contentSha));
        });
        var dossier = new Command("dossier", "A submission's dossier: its whole story, built from the events.");
        dossier.Subcommands.Add(export);
        dossier.Subcommands.Add(Record(app));
        return dossier;
    }

    private static Command Record(CliApp app)
    {
        var submission = Arguments.Id("submission", "The submission whose record to export.");
        var treeSize = new Option<long?>("--tree-size") { Description = "The signed checkpoint the proofs refer to (default: the latest).", HelpName = "n" };
        var purpose = new Option<string>("--purpose") { Description = "Why it is exported (recorded with the export)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The file to write (JSON lines).", Required = true, HelpName = "file" };
        var record = new Command("record",
            "Export a submission's whole record (assessors): its events with inclusion proofs against a signed checkpoint and its artefacts, " +
            "as JSON lines that ai4h verify checks offline; the export is recorded.")
            { submission, treeSize, purpose, output };
        record.SetAction(async (parsed, ct) =>
        {
            var query = new List<string>();
            if (parsed.GetValue(treeSize) is { } t) query.Add($"treeSize={t.ToString(CultureInfo.InvariantCulture)}");
            if (parsed.GetValue(purpose) is { } p) query.Add($"purpose={Uri.EscapeDataString(p)}");
            var (bytes, _) = await app.Client(parsed).DownloadAsync(
                $"/api/submissions/{parsed.GetValue(submission)}/record" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
            var file = parsed.GetValue(output)!;
            await CliApp.WriteOutputAsync(file, bytes, ct);
            // The first line is the header: what was exported, up to which sequence.
            var newline = System.Array.IndexOf(bytes, (byte)'\n');
            var header = JsonNode.Parse(bytes.AsSpan(0, newline > 0 ? newline : bytes.Length))?["header"];
            return Written(app, parsed, file, bytes,
                ("events", S(header?["events"])),
                ("artefacts", S(header?["blobs"])),
                ("through sequence", S(header?["throughSequence"])),
                ("dossier sha256", S(header?["dossierSha256"])));
        });
        return record;
    }

    public static Command Bundle(CliApp app)
    {
        var treeSize = new Option<long?>("--tree-size") { Description = "The signed checkpoint to export up to (default: the latest).", HelpName = "n" };
        var previous = new Option<long?>("--previous")
        {
            Description = "An earlier checkpoint's tree size: the bundle then carries the consistency proof from it.",
            HelpName = "n",
        };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The file to write.", Required = true, HelpName = "file" };
        var export = new Command("export",
            "Export the record up to a signed checkpoint as a ledger bundle, for the offline verifier (ai4h verify).")
            { treeSize, previous, output };
        export.SetAction(async (parsed, ct) =>
        {
            var query = new List<string>();
            if (parsed.GetValue(treeSize) is { } t) query.Add($"treeSize={t.ToString(CultureInfo.InvariantCulture)}");
            if (parsed.GetValue(previous) is { } p) query.Add($"previous={p.ToString(CultureInfo.InvariantCulture)}");
            var (bytes, _) = await app.Client(parsed).DownloadAsync(
                "/api/ledger/bundle" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
            var file = parsed.GetValue(output)!;
            await CliApp.WriteOutputAsync(file, bytes, ct);
            var bundle = JsonNode.Parse(bytes);
            return Written(app, parsed, file, bytes,
                ("origin", S(bundle?["origin"])),
                ("entries", S(Items(bundle?["entries"]).Count)),
                ("verifier key", S(bundle?["verifierKey"])));
        });
        var bundleCommand = new Command("bundle", "Ledger bundles: the record up to a signed checkpoint, checkable offline.");
        bundleCommand.Subcommands.Add(export);
        return bundleCommand;
    }

    /// <summary>What was written: a summary for people, or with --json a small object for scripts.</summary>
    private static int Written(CliApp app, ParseResult parsed, FileInfo file, byte[] bytes, params (string Label, string? Value)[] more)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (parsed.GetValue(app.Json))
        {
            var json = new JsonObject { ["file"] = file.FullName, ["bytes"] = bytes.Length, ["sha256"] = sha };
            foreach (var (label, value) in more)
                if (value is not null) json[string.Concat(label.Split(' ').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]))] = value;
            app.Out.WriteLine(json.ToJsonString(Tables.JsonOutput));
            return ExitCodes.Ok;
        }
        Fields(app.Out, [("wrote", $"{file.FullName} ({bytes.Length} bytes)"), ("file sha256", sha), .. more]);
        return ExitCodes.Ok;
    }
}
