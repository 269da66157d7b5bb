using System.CommandLine;
using static Ai4h.Audit.Cli.Tables;

namespace Ai4h.Audit.Cli;

/// <summary><c>ai4h benchmarks show|list</c>: what a model is judged on, read-only.</summary>
public static class BenchmarkCommands
{
    public static Command Build(CliApp app)
    {
        var benchmarks = new Command("benchmarks", "Benchmarks: the task, test data, metrics and acceptance criteria a model is judged on.");
        benchmarks.Subcommands.Add(Show(app));
        benchmarks.Subcommands.Add(List(app));
        return benchmarks;
    }

    private static Command Show(CliApp app)
    {
        var benchmark = Arguments.Id("benchmark", "The benchmark's id.");
        var version = new Option<int?>("--version") { Description = "One version of the definition (default: the current one).", HelpName = "n" };
        var command = new Command("show", "Show a benchmark's definition: data set version, columns, metrics, intervals, acceptance criteria.")
            { benchmark, version };
        command.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(benchmark);
            var path = parsed.GetValue(version) is { } n ? $"/api/benchmarks/{id}/versions/{n}" : $"/api/benchmarks/{id}";
            var response = await app.Client(parsed).GetAsync(path, ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            var b = response.Json;
            var d = b["definition"]!;
            var ci = d["confidenceInterval"];
            Fields(app.Out,
                ("id", S(b["id"])),
                ("name", S(d["name"])),
                ("version", S(b["version"])),
                ("clinical task", S(d["clinicalTask"])),
                ("task type", S(d["taskType"])),
                ("test data", $"data set {S(d["datasetId"])} v{S(d["datasetVersion"])} (sha256 {S(d["datasetSha256"])})"),
                ("case id", S(d["caseIdColumn"])),
                ("label", S(d["labelColumn"]) + (d["positiveClass"] is { } p ? $" (positive class {S(p)})" : "")),
                ("threshold", S(d["decisionThreshold"])),
                ("features", $"{Items(d["featureColumns"]).Count}: {S(d["featureColumns"])}"),
                ("subgroups", S(d["subgroupColumns"])),
                ("metrics", S(d["metrics"])),
                ("intervals", ci is null ? null : $"{S(ci["method"])} {S(ci["level"])}" +
                    (ci["bootstrapReplicates"] is { } r ? $", {S(r)} replicates, seed {S(ci["seed"])}" : "")),
                ("rows hidden", S(d["hideRows"])),
                ("reason", S(b["reason"])));
            app.Out.WriteLine();
            app.Out.WriteLine("Acceptance criteria:");
            var criteria = Items(b["acceptanceCriteriaText"]);
            if (criteria.Count == 0) app.Out.WriteLine("  (none)");
            foreach (var c in criteria) app.Out.WriteLine($"  - {S(c)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliApp app)
    {
        var command = new Command("list", "List the benchmarks.");
        command.SetAction(async (parsed, ct) =>
        {
            var response = await app.Client(parsed).GetAsync("/api/benchmarks", ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            Tables.Write(app.Out, ["id", "name", "task type", "version"],
                Items(response.Json).Select(b => (IReadOnlyList<string>)[S(b!["id"]), S(b["name"]), S(b["taskType"]), S(b["currentVersion"])]));
            return ExitCodes.Ok;
        });
        return command;
    }
}
