using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Ai4h.Audit.Cli.Tables;

namespace Ai4h.Audit.Cli;

/// <summary><c>ai4h datasets register|upload|show|list</c>.</summary>
public static class DatasetCommands
{
    public static Command Build(CliApp app)
    {
        var datasets = new Command("datasets", "Data sets: register one, upload a version (CSV), show or list them.");
        datasets.Subcommands.Add(Register(app));
        datasets.Subcommands.Add(Upload(app));
        datasets.Subcommands.Add(Show(app));
        datasets.Subcommands.Add(List(app));
        return datasets;
    }

    private static Command Register(CliApp app)
    {
        (string Field, Option<string> Option)[] fields =
        [
            ("name", new Option<string>("--name") { Description = "The data set's name.", Required = true }),
            ("description", new Option<string>("--description") { Description = "What it holds.", Required = true }),
            ("owner", new Option<string>("--owner") { Description = "Who owns it.", Required = true }),
            ("intendedUse", new Option<string>("--intended-use") { Description = "What it may be used for.", Required = true }),
            ("licence", new Option<string>("--licence") { Description = "Its licence, e.g. CC BY 4.0.", Required = true }),
            ("modality", new Option<string>("--modality") { Description = "e.g. tabular, CT, histopathology.", Required = true }),
            ("task", new Option<string>("--task") { Description = "The clinical task it serves.", Required = true }),
        ];
        var command = new Command("register", "Register a data set (data stewards). Prints its id.");
        foreach (var (_, option) in fields) command.Options.Add(option);
        command.SetAction(async (parsed, ct) =>
        {
            var body = new JsonObject();
            foreach (var (field, option) in fields) body[field] = parsed.GetValue(option);
            var response = await app.Client(parsed).PostJsonAsync("/api/datasets", body, ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            app.Out.WriteLine($"registered data set {S(response.Json["datasetId"])}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Upload(CliApp app)
    {
        var dataset = Arguments.Id("dataset", "The data set's id.");
        var file = new Argument<FileInfo>("file") { Description = "The CSV file to upload as a new version." };
        var reason = new Option<string>("--reason") { Description = "Why this version is uploaded (recorded with it)." };
        var expected = new Option<long?>("--expected-version")
        {
            Description = "The data set's stream version you last read; if someone changed it since, the Api refuses (409).",
            HelpName = "n",
        };
        var command = new Command("upload", "Upload a version of a data set (CSV). The recorded SHA-256 is checked against the file.")
            { dataset, file, reason, expected };
        command.SetAction(async (parsed, ct) =>
        {
            var path = parsed.GetValue(file)!;
            var bytes = CliApp.ReadInput(path, "CSV file");
            var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", path.Name } };
            if (parsed.GetValue(reason) is { } r) form.Add(new StringContent(r), "reason");
            if (parsed.GetValue(expected) is { } v) form.Add(new StringContent(v.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expectedVersion");
            var response = await app.Client(parsed).PostFormAsync($"/api/datasets/{parsed.GetValue(dataset)}/versions", form, ct);
            var json = response.Json;
            var recorded = S(json["sha256"]);
            var local = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (parsed.GetValue(app.Json)) app.PrintJson(response);
            else
            {
                Fields(app.Out,
                    ("version", S(json["version"])),
                    ("rows", S(json["rowCount"])),
                    ("bytes", S(json["sizeBytes"])),
                    ("sha256", recorded + (recorded == local ? " (matches the file)" : "")),
                    ("stored", json["contentAlreadyStored"]?.GetValue<bool>() == true ? "identical bytes were stored before (kept once)" : null),
                    ("url", S(json["url"])));
            }
            if (recorded != local)
                throw new CliFailure(ExitCodes.CheckFailed, $"the Api recorded SHA-256 {recorded} but the file's is {local}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliApp app)
    {
        var dataset = Arguments.Id("dataset", "The data set's id.");
        var version = new Option<int?>("--version") { Description = "Show one version with its column schema.", HelpName = "n" };
        var history = new Option<bool>("--history") { Description = "Show the data set's recorded history (every event: who, when, why)." };
        var command = new Command("show", "Show a data set and its versions, one version's schema, or its history.") { dataset, version, history };
        command.SetAction(async (parsed, ct) =>
        {
            var id = parsed.GetValue(dataset);
            var client = app.Client(parsed);
            if (parsed.GetValue(history))
            {
                var events = await client.GetAsync($"/api/datasets/{id}/history", ct);
                if (parsed.GetValue(app.Json)) return app.PrintJson(events);
                EventTable(app.Out, Items(events.Json));
                return ExitCodes.Ok;
            }
            if (parsed.GetValue(version) is { } n)
            {
                var one = await client.GetAsync($"/api/datasets/{id}/versions/{n}", ct);
                if (parsed.GetValue(app.Json)) return app.PrintJson(one);
                var v = one.Json;
                VersionFields(app.Out, v);
                app.Out.WriteLine();
                Tables.Write(app.Out, ["column", "type", "missing", "distinct"],
                    Items(v["columns"]).Select(c => (IReadOnlyList<string>)[S(c!["name"]), S(c["type"]), S(c["missingCount"]),
                        S(c["distinctCount"]) + (c["distinctCountCapped"]?.GetValue<bool>() == true ? "+" : "")]));
                return ExitCodes.Ok;
            }
            var response = await client.GetAsync($"/api/datasets/{id}", ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            var d = response.Json;
            Fields(app.Out,
                ("id", S(d["id"])), ("name", S(d["name"])), ("description", S(d["description"])), ("owner", S(d["owner"])),
                ("intended use", S(d["intendedUse"])), ("licence", S(d["licence"])), ("modality", S(d["modality"])), ("task", S(d["task"])));
            app.Out.WriteLine();
            Tables.Write(app.Out, ["version", "rows", "bytes", "sha256", "verification", "file"],
                Items(d["versions"]).Select(v => (IReadOnlyList<string>)
                    [S(v!["version"]), S(v["rowCount"]), S(v["sizeBytes"]), S(v["sha256"]), S(v["verification"]), S(v["fileName"])]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void VersionFields(TextWriter w, JsonNode v) => Fields(w,
        ("version", S(v["version"])), ("file", S(v["fileName"])), ("rows", S(v["rowCount"])), ("bytes", S(v["sizeBytes"])),
        ("sha256", S(v["sha256"])), ("reason", S(v["reason"])),
        ("verification", S(v["verification"]) + (v["verificationProblem"] is { } p ? $" ({S(p)})" : "")));

    private static Command List(CliApp app)
    {
        var command = new Command("list", "List the registered data sets.");
        command.SetAction(async (parsed, ct) =>
        {
            var response = await app.Client(parsed).GetAsync("/api/datasets", ct);
            if (parsed.GetValue(app.Json)) return app.PrintJson(response);
            Tables.Write(app.Out, ["id", "name", "owner", "versions", "task"],
                Items(response.Json).Select(d => (IReadOnlyList<string>)[S(d!["id"]), S(d["name"]), S(d["owner"]), S(d["versionCount"]), S(d["task"])]));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A stream's history as people read it: sequence, server time, actor, event type, reason.</summary>
    public static void EventTable(TextWriter w, JsonArray events) =>
        Tables.Write(w, ["seq", "recorded (UTC)", "actor", "event", "reason"],
            events.Select(e => (IReadOnlyList<string>)[S(e!["sequence"]), Time(e["recordedAt"]), S(e["actor"]), S(e["type"]), S(e["reason"])]));
}
