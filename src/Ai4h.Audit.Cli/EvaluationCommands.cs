using System.CommandLine;
using System.Text.Json.Nodes;
using static Ai4h.Audit.Cli.Tables;

namespace Ai4h.Audit.Cli;

/// <summary><c>ai4h evaluate</c> (ask for an evaluation, optionally wait with progress) and <c>ai4h results</c>.</summary>
public static class EvaluationCommands
{
    public static Command Evaluate(CliApp app)
    {
        var submission = Arguments.Id("submission", "The submission to evaluate on its benchmark's sequestered test data.");
        var reason = new Option<string>("--reason") { Description = "Why it is evaluated (recorded)." };
        var wait = new Option<bool>("--wait")
        {
            Description = "Wait until it completes or fails, with progress on stderr (a bar on a terminal, plain lines otherwise), then print the results.",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "With --wait: give up after this many seconds (exit code 6); the evaluation itself goes on.",
            HelpName = "seconds",
            DefaultValueFactory = _ => 1800,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0) r.AddError("--timeout must be a positive number of seconds");
        });
        var command = new Command("evaluate", "Ask for a submission to be evaluated. Prints the evaluation's id; --wait follows it to the end.")
            { submission, reason, wait, timeout };
        command.SetAction(async (parsed, ct) =>
        {
            var client = app.Client(parsed);
            var body = new JsonObject { ["reason"] = parsed.GetValue(reason) };
            var accepted = await client.PostJsonAsync($"/api/submissions/{parsed.GetValue(submission)}/evaluations", body, ct);
            var url = S(accepted.Json["url"]);
            if (!parsed.GetValue(wait))
            {
                if (parsed.GetValue(app.Json)) return app.PrintJson(accepted);
                app.Out.WriteLine($"evaluation {S(accepted.Json["evaluationId"])} requested; follow it with: ai4h results {S(accepted.Json["evaluationId"])}");
                return ExitCodes.Ok;
            }

            app.Console.Error.WriteLine($"evaluation {S(accepted.Json["evaluationId"])} requested");
            var final = await WaitAsync(app, client, url, TimeSpan.FromSeconds(parsed.GetValue(timeout)), ct);
            if (parsed.GetValue(app.Json)) app.PrintJson(final);
            else PrintResults(app.Out, final.Json);
            if (S(final.Json["status"]) != "Completed")
                throw new CliFailure(ExitCodes.EvaluationFailed, $"evaluation {S(final.Json["id"])} failed: {S(final.Json["failureReason"])}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<ApiResponse> WaitAsync(CliApp app, ApiClient client, string url, TimeSpan timeout, CancellationToken ct)
    {
        var progress = new ProgressDisplay(app.Console.Error, app.Console.ErrorIsTerminal);
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (true)
            {
                var response = await client.GetAsync(url, ct);
                var e = response.Json;
                var status = S(e["status"]);
                progress.Show(status, e["casesDone"]?.GetValue<int>() ?? 0, e["casesTotal"]?.GetValue<int>() ?? 0, S(e["stage"]));
                if (status is "Completed" or "Failed") return response;
                if (DateTime.UtcNow > deadline)
                    throw new CliFailure(ExitCodes.EvaluationFailed,
                        $"evaluation {S(e["id"])} did not finish within {timeout.TotalSeconds:0} s (it is {status.ToLowerInvariant()}; ai4h results {S(e["id"])} shows where it is)");
                await Task.Delay(app.Console.PollInterval, ct);
            }
        }
        finally
        {
            progress.End();
        }
    }

    public static Command Results(CliApp app)
    {
        var evaluation = Arguments.Id("evaluation", "The evaluation's id.");
        var command = new Command("results",
            "An evaluation's status and, once completed, its metrics with intervals, subgroups, acceptance verdicts and reproducibility record.")
            { evaluation };
        command.SetAction(async (parsed, ct) =>
        {
            var response = await app.Client(parsed).GetAsync($"/api/evaluations/{parsed.GetValue(evaluation)}", ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            PrintResults(app.Out, response.Json);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The usual headline metrics first, in the order clinicians read them.</summary>
    private static readonly string[] Headline =
    [
        "auroc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "balanced_accuracy", "f1", "auprc", "brier", "mcc", "kappa",
        "mae", "rmse", "r2",
    ];

    /// <summary>Metrics the acceptance criteria judge first, then the headline ones, then the rest by name.</summary>
    private static IEnumerable<string> MetricOrder(JsonNode results, IEnumerable<string> names)
    {
        var judged = Items(results["verdicts"]).Select(v => S(v!["definition"]?["metric"])).Where(m => m.Length > 0).ToList();
        int Rank(string name) => judged.IndexOf(name) is var j and >= 0 ? j : System.Array.IndexOf(Headline, name) is var h and >= 0 ? 100 + h : 1000;
        return names.OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal);
    }

    private static void PrintResults(TextWriter w, JsonNode e)
    {
        var status = S(e["status"]);
        Fields(w,
            ("evaluation", S(e["id"])),
            ("submission", S(e["submissionId"])),
            ("benchmark", $"{S(e["benchmarkId"])} v{S(e["benchmarkVersion"])}"),
            ("test data", $"data set {S(e["datasetId"])} v{S(e["datasetVersion"])}, sha256 {S(e["datasetSha256"])}"),
            ("status", status + (status is "Requested" or "Running" ? $" ({S(e["casesDone"])}/{S(e["casesTotal"])} cases, {S(e["stage"])})" : "")),
            ("failure", S(e["failureReason"])),
            ("overall", e["passed"] is JsonValue p ? p.GetValue<bool>() ? "every acceptance criterion met" : "NOT every acceptance criterion met" : null));
        if (e["results"] is not { } results) return;

        w.WriteLine();
        w.WriteLine($"Metrics on {S(results["cases"])} cases:");
        var metrics = results["metrics"] as JsonObject ?? [];
        var order = MetricOrder(results, metrics.Select(m => m.Key));
        Tables.Write(w, ["metric", "value [interval] method"], order.Select(name => (IReadOnlyList<string>)[name, Metric(metrics[name])]));

        foreach (var group in Items(results["subgroups"]))
        {
            w.WriteLine();
            w.WriteLine($"Subgroups by {S(group!["column"])}:");
            var levels = Items(group["levels"]);
            var names = MetricOrder(results, levels.SelectMany(l => (l!["metrics"] as JsonObject ?? []).Select(m => m.Key)).Distinct()).Take(4).ToList();
            Tables.Write(w, ["level", "cases", .. names],
                levels.Select(l => (IReadOnlyList<string>)[S(l!["level"]), S(l["cases"]), .. names.Select(n => Number(l["metrics"]?[n]?["value"]))]));
        }

        w.WriteLine();
        w.WriteLine("Acceptance criteria:");
        var verdicts = Items(results["verdicts"]);
        if (verdicts.Count == 0) w.WriteLine("  (none)");
        foreach (var v in verdicts)
        {
            w.WriteLine($"  {(v!["passed"]?.GetValue<bool>() == true ? "PASS" : "FAIL")}  {S(v["criterion"])}" +
                        (v["judged"] is { } judged ? $"  (judged on {Number(judged)})" : ""));
            foreach (var level in Items(v["levels"]))
                w.WriteLine($"        {S(level!["level"])}: {S(level["cases"])} cases, judged on " +
                            $"{(level["judged"] is null ? "undefined" : Number(level["judged"]))}, {(level["passed"]?.GetValue<bool>() == true ? "pass" : "fail")}");
            foreach (var level in Items(v["excluded"]))
                w.WriteLine($"        {S(level!["level"])}: {S(level["cases"])} cases, excluded (below the minimum)");
            if (v["reason"] is { } reason) w.WriteLine($"        {S(reason)}");
        }

        if (e["provenance"] is { } p2)
        {
            w.WriteLine();
            w.WriteLine("Reproducibility record:");
            Fields(w,
                ("  model sha256", S(p2["modelSha256"])), ("  data sha256", S(p2["datasetSha256"])),
                ("  predictions sha256", S(p2["predictionsSha256"])), ("  runner", S(p2["runnerVersion"])),
                ("  ONNX Runtime", S(p2["onnxRuntimeVersion"])), ("  machine", S(p2["machine"])), ("  seed", S(p2["seed"])),
                ("  started", Time(p2["startedAt"])), ("  finished", Time(p2["finishedAt"])));
        }
    }
}

/// <summary>
/// Progress of a running evaluation on stderr: one redrawn bar on a terminal; on a pipe or file one plain line per
/// change, so logs stay readable.
/// </summary>
public sealed class ProgressDisplay(TextWriter error, bool terminal)
{
    private const int Width = 30;
    private string? _last;
    private bool _drawn;

    public void Show(string status, int done, int total, string stage)
    {
        var line = total > 0 ? $"{status.ToLowerInvariant()} {done}/{total} cases {stage}".TrimEnd() : $"{status.ToLowerInvariant()} {stage}".TrimEnd();
        if (line == _last) return;
        _last = line;
        if (!terminal)
        {
            error.WriteLine(line);
            return;
        }
        var filled = total > 0 ? Math.Clamp(done * Width / total, 0, Width) : 0;
        var bar = $"[{new string('#', filled)}{new string('.', Width - filled)}] {line}";
        error.Write("\r" + bar.PadRight(79));
        error.Flush();
        _drawn = true;
    }

    public void End()
    {
        if (_drawn) error.WriteLine();
        _drawn = false;
    }
}
