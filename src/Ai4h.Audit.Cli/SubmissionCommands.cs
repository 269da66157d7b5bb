using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Ai4h.Audit.Cli.Tables;

namespace Ai4h.Audit.Cli;

/// <summary><c>ai4h submit</c> and <c>ai4h history</c>: a developer's models and their record.</summary>
public static class SubmissionCommands
{
    public static Command Submit(CliApp app)
    {
        var model = new Argument<FileInfo>("model") { Description = "The ONNX model file (.onnx)." };
        var manifest = new Argument<FileInfo>("manifest") { Description = "Its manifest (.json): name, version, tensors, feature columns, output kind." };
        var benchmark = new Option<Guid?>("--benchmark") { Description = "The benchmark to submit to (sets the manifest's benchmarkId).", HelpName = "id" };
        var previous = new Option<Guid?>("--previous") { Description = "The submission this is a new version of.", HelpName = "submission" };
        var reason = new Option<string>("--reason") { Description = "Why it is submitted (recorded)." };
        var command = new Command("submit",
            "Submit a model with its manifest. ONNX Runtime checks it against the manifest and the benchmark before anything is recorded.")
            { model, manifest, benchmark, previous, reason };
        command.SetAction(async (parsed, ct) =>
        {
            var modelFile = parsed.GetValue(model)!;
            var bytes = CliApp.ReadInput(modelFile, "model file");
            var manifestText = Encoding.UTF8.GetString(CliApp.ReadInput(parsed.GetValue(manifest)!, "manifest"));
            if (parsed.GetValue(benchmark) is { } benchmarkId)
            {
                JsonObject json;
                try { json = JsonNode.Parse(manifestText) as JsonObject ?? throw new System.Text.Json.JsonException("not a JSON object"); }
                catch (System.Text.Json.JsonException e)
                {
                    throw new CliFailure(ExitCodes.LocalFile, $"the manifest '{parsed.GetValue(manifest)}' is not a JSON object: {e.Message}");
                }
                json["benchmarkId"] = benchmarkId;
                manifestText = json.ToJsonString();
            }
            var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(bytes), "model", modelFile.Name },
                { new StringContent(manifestText, Encoding.UTF8), "manifest" },
            };
            if (parsed.GetValue(previous) is { } p) form.Add(new StringContent(p.ToString()), "previousSubmissionId");
            if (parsed.GetValue(reason) is { } r) form.Add(new StringContent(r), "reason");

            var response = await app.Client(parsed).PostFormAsync("/api/submissions", form, ct);
            var created = response.Json;
            var recorded = S(created["modelSha256"]);
            var local = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (parsed.GetValue(app.Json)) app.PrintJson(response);
            else
            {
                var s = created["signature"];
                Fields(app.Out,
                    ("submission", S(created["submissionId"])),
                    ("model sha256", recorded + (recorded == local ? " (matches the file)" : "")),
                    ("benchmark", $"version {S(created["benchmarkVersion"])}"),
                    ("input", $"{S(s?["inputTensor"])} {S(s?["inputElementType"])} [{S(s?["inputShape"])}]"),
                    ("output", $"{S(s?["outputTensor"])} {S(s?["outputElementType"])} [{S(s?["outputShape"])}]"),
                    ("dry run", $"output shape [{S(s?["dryRunOutputShape"])}], ONNX Runtime {S(s?["onnxRuntimeVersion"])}"),
                    ("url", S(created["url"])));
            }
            if (recorded != local)
                throw new CliFailure(ExitCodes.CheckFailed, $"the Api recorded SHA-256 {recorded} but the model file's is {local}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command History(CliApp app)
    {
        var submission = Arguments.Id("submission", "The submission's id.");
        var lineage = new Option<bool>("--lineage") { Description = "Only the lineage: every version of this model, its evaluations and audit." };
        var events = new Option<bool>("--events") { Description = "Only the submission's recorded events (who, when, why)." };
        var command = new Command("history",
            "A submission's lineage (every version of the model with its evaluations and audit status) and its recorded events. " +
            "With --json and neither --lineage nor --events: {\"lineage\": …, \"events\": …}, each as the Api sent it.")
            { submission, lineage, events };
        command.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(submission);
            var client = app.Client(parsed);
            var (onlyLineage, onlyEvents) = (parsed.GetValue(lineage), parsed.GetValue(events));
            var (showLineage, showEvents) = (onlyLineage || !onlyEvents, onlyEvents || !onlyLineage);
            var versions = showLineage ? await client.GetAsync($"/api/submissions/{id}/lineage", ct) : null;
            var recorded = showEvents ? await client.GetAsync($"/api/submissions/{id}/history", ct) : null;

            if (parsed.GetValue(app.Json))
            {
                if (versions is null || recorded is null) return app.PrintJson((versions ?? recorded)!);
                app.Out.WriteLine(new JsonObject { ["lineage"] = versions.Json, ["events"] = recorded.Json }.ToJsonString(Tables.JsonOutput));
                return ExitCodes.Ok;
            }
            if (versions is not null)
            {
                app.Out.WriteLine("Lineage:");
                Tables.Write(app.Out, ["version", "submission", "model sha256", "benchmark v", "evaluations", "audit"],
                    Items(versions.Json).Select(v => (IReadOnlyList<string>)
                    [
                        S(v!["modelVersion"]) + (S(v["id"]) == id.ToString() ? " *" : ""),
                        S(v["id"]), Short(S(v["modelSha256"])), S(v["benchmarkVersion"]), Evaluations(Items(v["evaluations"])),
                        S(v["audit"]?["stage"]) + (v["audit"]?["decision"] is { } decision ? $", {S(decision)}" : ""),
                    ]));
            }
            if (recorded is not null)
            {
                if (versions is not null) app.Out.WriteLine();
                app.Out.WriteLine("Events:");
                DatasetCommands.EventTable(app.Out, Items(recorded.Json));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"2: Completed passed, Failed" — how many, and how each ended.</summary>
    private static string Evaluations(JsonArray evaluations) => evaluations.Count == 0
        ? "none"
        : $"{evaluations.Count}: " + string.Join(", ", evaluations.Select(e => S(e!["status"]) + e["passed"] switch
        {
            JsonValue p when p.GetValue<bool>() => " passed",
            JsonValue => " not passed",
            _ => "",
        }));
}
