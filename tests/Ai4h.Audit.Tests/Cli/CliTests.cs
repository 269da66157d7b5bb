using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ai4h.Audit.Api;
using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Cli;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ai4h.Audit.Tests.Cli;

/// <summary>
/// The <c>ai4h</c> command line against the real Api: in-process through the in-memory Api's HTTP client (stdout and
/// stderr captured), and as the built program against an Api listening on a port, for its exit codes.
/// </summary>
public sealed class CliTests(ApiFixture fixture) : ApiTest(fixture), IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ai4h-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Run(int Exit, string Out, string Error)
    {
        public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("no JSON on stdout");

        /// <summary>A failure is one line on stderr, nothing else.</summary>
        public string OneErrorLine()
        {
            var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Length.ShouldBe(1, Error);
            lines[0].ShouldStartWith("error: ");
            return lines[0].TrimEnd('\r');
        }
    }

    /// <summary>Runs <c>ai4h</c> in this process against the in-memory Api.</summary>
    private async Task<Run> Ai4h(params string[] args) => await Ai4hWith(Fixture.Host.Server.CreateClient(), args);

    private static async Task<Run> Ai4hWith(HttpClient? http, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            Http = http,
            // Nothing from the test process's own environment (AI4H_API, AI4H_API_KEY) leaks into a run.
            Environment = _ => null,
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        var exit = await CliApp.RunAsync(args, console);
        return new Run(exit, output.ToString(), error.ToString());
    }

    /// <summary>A user's API key in a file only they can read, as the CLI expects it.</summary>
    private string KeyFile(TestUser user)
    {
        var file = Path.Combine(_folder, $"{user.UserName}.key");
        File.WriteAllText(file, user.ApiKey + "\n");
        return file;
    }

    private string WriteFile(string name, byte[] bytes)
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    [Fact]
    public async Task a_developer_journey_runs_through_the_cli_from_the_data_set_to_the_dossier()
    {
        var steward = KeyFile(Steward);

        // The steward registers and uploads the test data.
        var registered = await Ai4h("datasets", "register", "--key-file", steward, "--json", "--name", "WDBC hold-out",
            "--description", "Even-numbered WDBC cases", "--owner", "UCI ML repository", "--intended-use", "Held-out test data",
            "--licence", "CC BY 4.0", "--modality", "tabular", "--task", "binary classification");
        registered.Exit.ShouldBe(0, registered.Error);
        var datasetId = registered.Json["datasetId"]!.GetValue<Guid>();
        var csv = WriteFile("holdout.csv", EvaluationTestData.HoldOutCsv(120));
        var uploaded = await Ai4h("datasets", "upload", datasetId.ToString(), csv, "--reason", "Hold-out release", "--key-file", steward);
        (uploaded.Exit, uploaded.Error).ShouldBe((0, ""));
        uploaded.Out.ShouldContain("(matches the file)");
        (await Ai4h("datasets", "list", "--key-file", steward)).Out.ShouldContain("WDBC hold-out");
        var shown = await Ai4h("datasets", "show", datasetId.ToString(), "--key-file", steward);
        shown.Out.ShouldContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv))));
        (await Ai4h("datasets", "show", datasetId.ToString(), "--version", "1", "--key-file", steward)).Out.ShouldContain("mean_radius");

        // The benchmark is defined through the Api (the CLI reads it); the developer submits the committed model.
        var benchmarkId = await DefineBenchmarkAsync(datasetId);
        var developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var dev = KeyFile(developer);
        (await Ai4h("benchmarks", "show", benchmarkId.ToString(), "--key-file", dev)).Out.ShouldContain("AUROC", Case.Insensitive);
        var models = Path.Combine(EvaluationTestData.ModelsFolder, "wdbc-logreg");
        var submitted = await Ai4h("submit", Path.Combine(models, "model.onnx"), Path.Combine(models, "manifest.json"),
            "--benchmark", benchmarkId.ToString(), "--reason", "First version", "--key-file", dev, "--json");
        submitted.Exit.ShouldBe(0, submitted.Error);
        var submissionId = submitted.Json["submissionId"]!.GetValue<Guid>();

        // Evaluate and wait: progress as plain lines on stderr (not a terminal), then the final evaluation.
        var evaluated = await Ai4h("evaluate", submissionId.ToString(), "--wait", "--reason", "First evaluation", "--key-file", dev, "--json");
        evaluated.Exit.ShouldBe(0, evaluated.Error);
        evaluated.Json["status"]!.GetValue<string>().ShouldBe("Completed");
        evaluated.Error.ShouldContain("completed");
        evaluated.Error.ShouldNotContain("\r");
        var evaluationId = evaluated.Json["id"]!.GetValue<Guid>();

        // results --json is the Api's GET, unchanged; the table shows metrics, verdicts and the reproducibility record.
        var results = await Ai4h("results", evaluationId.ToString(), "--json", "--key-file", dev);
        var api = await (await developer.Http.GetAsync($"/api/evaluations/{evaluationId}")).ShouldBe(HttpStatusCode.OK);
        JsonNode.DeepEquals(results.Json, api).ShouldBeTrue(results.Out);
        var table = await Ai4h("results", evaluationId.ToString(), "--key-file", dev);
        table.Exit.ShouldBe(0, table.Error);
        table.Out.ShouldContain("auroc");
        table.Out.ShouldContain(api["results"]!["metrics"]!["auroc"]!["value"]!.GetValue<double>().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
        table.Out.ShouldContain(api["provenance"]!["predictionsSha256"]!.GetValue<string>());
        (table.Out.Contains("PASS") || table.Out.Contains("FAIL")).ShouldBeTrue(table.Out);

        // history: the lineage with the evaluation, and the submission's events.
        var history = await Ai4h("history", submissionId.ToString(), "--key-file", dev);
        history.Exit.ShouldBe(0, history.Error);
        history.Out.ShouldContain("1.0.0 *");
        history.Out.ShouldContain("1: Completed");
        history.Out.ShouldContain("model_submitted");
        history.Out.ShouldContain("First version");
        var historyJson = (await Ai4h("history", submissionId.ToString(), "--key-file", dev, "--json")).Json;
        historyJson["lineage"]!.AsArray().Count.ShouldBe(1);
        historyJson["events"]![0]!["type"]!.GetValue<string>().ShouldBe("model_submitted");

        // The dossier as PDF: a real PDF whose text carries the dossier's hash (exports do not change it).
        var pdf = Path.Combine(_folder, "dossier.pdf");
        var exported = await Ai4h("dossier", "export", submissionId.ToString(), "--format", "pdf", "-o", pdf, "--purpose", "CLI test", "--key-file", dev);
        exported.Exit.ShouldBe(0, exported.Error);
        exported.Out.ShouldContain("events up to sequence");
        var dossier = await (await developer.Http.GetAsync($"/api/submissions/{submissionId}/dossier")).ShouldBe(HttpStatusCode.OK);
        var bytes = await File.ReadAllBytesAsync(pdf);
        System.Text.Encoding.ASCII.GetString(bytes, 0, 5).ShouldBe("%PDF-");
        using (var document = UglyToad.PdfPig.PdfDocument.Open(bytes))
            string.Concat(document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text))
                .ShouldContain(dossier["contentSha256"]!.GetValue<string>());
        var json = Path.Combine(_folder, "dossier.json");
        var jsonExport = await Ai4h("dossier", "export", submissionId.ToString(), "--format", "json", "-o", json, "--key-file", dev);
        jsonExport.Out.ShouldContain(dossier["contentSha256"]!.GetValue<string>());

        // The submission's own record, exported by an assessor once a checkpoint covers it, verifies offline.
        var key = await SignCheckpointAsync();
        var record = Path.Combine(_folder, "record.jsonl");
        var recorded = await Ai4h("dossier", "record", submissionId.ToString(), "-o", record, "--purpose", "CLI test", "--key-file", steward);
        recorded.Exit.ShouldBe(0, recorded.Error);
        recorded.Out.ShouldContain(dossier["contentSha256"]!.GetValue<string>());
        var verified = await Ai4hWith(null, "verify", record, "--key", key);
        (verified.Exit, verified.Error).ShouldBe((0, ""));
        verified.Out.ShouldStartWith("OK:");
        verified.Out.ShouldContain("submission record");
    }

    /// <summary>Sequences every event into the ledger and signs a checkpoint; returns the verifier key.</summary>
    private async Task<string> SignCheckpointAsync()
    {
        var ledger = Fixture.Host.Services.GetRequiredService<LedgerService>();
        // The record was emptied before this test: the ledger's in-memory log starts again from the (empty) leaves table.
        await ledger.ReloadAsync(CancellationToken.None);
        var sequencer = Fixture.Host.Services.GetRequiredService<LedgerSequencer>();
        while (await sequencer.SequenceOnceAsync(CancellationToken.None) > 0) { }
        var regulator = await Fixture.CreateUserAsync("regulator", Role.Regulator);
        await (await regulator.Http.PostAsync("/api/ledger/checkpoints", null)).ShouldBe(HttpStatusCode.Created);
        return ledger.Signer!.VerifierKey;
    }

    private async Task<Guid> DefineBenchmarkAsync(Guid datasetId)
    {
        var created = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(datasetId)
            .With("caseIdColumn", "case_id").With("labelColumn", "diagnosis").With("featureColumns", EvaluationTestData.Features)
            .With("subgroupColumns", new[] { "nuclear_size" })
            .With("metrics", new[] { "auroc", "sensitivity", "specificity" })
            .With("confidenceInterval", new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 200, seed = 7 })
            .With("acceptanceCriteria", new object[] { new { metric = "auroc", bound = "LowerBound", comparison = "AtLeast", threshold = 0.9 } })))
            .ShouldBe(HttpStatusCode.Created);
        return created["benchmarkId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task the_apis_problem_details_are_one_line_on_stderr_with_a_non_zero_exit()
    {
        var datasetId = await BenchmarkTestData.UploadAsync(Steward, EvaluationTestData.HoldOutCsv(60));
        var benchmarkId = await DefineBenchmarkAsync(datasetId);
        var developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var dev = KeyFile(developer);
        var manifest = Submissions.SubmissionTests.Manifest(benchmarkId);
        manifest["inputTensor"] = "input";
        var manifestFile = WriteFile("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var before = await Fixture.EventCountAsync();

        var refused = await Ai4h("submit", Path.Combine(EvaluationTestData.ModelsFolder, "wdbc-logreg", "model.onnx"), manifestFile, "--key-file", dev);

        refused.Exit.ShouldBe(ExitCodes.ApiError);
        refused.Out.ShouldBeEmpty();
        refused.OneErrorLine().ShouldStartWith("error: 400 inputTensor: ");
        (await Fixture.EventCountAsync()).ShouldBe(before);

        var missing = Guid.NewGuid();
        var notFound = await Ai4h("results", missing.ToString(), "--key-file", dev);
        (notFound.Exit, notFound.OneErrorLine()).ShouldBe((1, $"error: 404 Not found: evaluation {missing} does not exist"));

        var forbidden = await Ai4h("bundle", "export", "-o", Path.Combine(_folder, "b.json"), "--key-file", dev);
        forbidden.Exit.ShouldBe(1);
        forbidden.OneErrorLine().ShouldStartWith("error: 403 Forbidden");
        File.Exists(Path.Combine(_folder, "b.json")).ShouldBeFalse();

        var wrongKey = WriteFile("wrong.key", "ai4h_not_a_key"u8.ToArray());
        (await Ai4h("datasets", "list", "--key-file", wrongKey)).OneErrorLine().ShouldStartWith("error: 401 Authentication required");

        var badArguments = await Ai4h("dossier", "export", Guid.NewGuid().ToString(), "--format", "docx", "-o", "x", "--key-file", dev);
        badArguments.Exit.ShouldBe(ExitCodes.Usage);
        badArguments.OneErrorLine().ShouldContain("docx");
    }

    [Fact]
    public async Task a_missing_key_file_or_no_key_fails_before_anything_is_sent()
    {
        var missing = await Ai4h("datasets", "list", "--key-file", Path.Combine(_folder, "absent.key"));
        missing.Exit.ShouldBe(ExitCodes.LocalFile);
        missing.OneErrorLine().ShouldBe($"error: cannot read the key file '{Path.Combine(_folder, "absent.key")}': no such file");

        var none = await Ai4h("datasets", "list");
        none.Exit.ShouldBe(ExitCodes.LocalFile);
        none.OneErrorLine().ShouldContain("AI4H_API_KEY");

        var empty = await Ai4h("datasets", "list", "--key-file", WriteFile("empty.key", []));
        (empty.Exit, empty.OneErrorLine()).ShouldBe((ExitCodes.LocalFile, $"error: the key file '{Path.Combine(_folder, "empty.key")}' is empty"));
    }

    [Fact]
    public async Task an_api_that_does_not_listen_is_reported_as_unreachable()
    {
        var refused = await Ai4hWith(null, "datasets", "list", "--api", $"http://127.0.0.1:{UnusedPort()}", "--key-file", KeyFile(Steward));
        refused.Exit.ShouldBe(ExitCodes.Unreachable);
        refused.OneErrorLine().ShouldContain("connection refused");
    }

    [Fact]
    public async Task verify_prints_OK_for_an_exported_bundle_and_fails_for_a_tampered_one()
    {
        await BenchmarkTestData.UploadAsync(Steward);
        var key = await SignCheckpointAsync();

        var bundle = Path.Combine(_folder, "bundle.json");
        var exported = await Ai4h("bundle", "export", "-o", bundle, "--key-file", KeyFile(Steward));
        exported.Exit.ShouldBe(0, exported.Error);
        exported.Out.ShouldContain("entries:");

        var verified = await Ai4hWith(null, "verify", bundle, "--key", key);
        (verified.Exit, verified.Error).ShouldBe((0, ""));
        verified.Out.ShouldStartWith("OK:");

        // One letter of the registered data set's stored JSON changed in the file.
        var text = await File.ReadAllTextAsync(bundle);
        text.ShouldContain("Wisconsin");
        await File.WriteAllTextAsync(bundle, text.Replace("Wisconsin", "Wisconsln"));
        var tampered = await Ai4hWith(null, "verify", bundle, "--key", key);
        tampered.Exit.ShouldBe(ExitCodes.CheckFailed);
        tampered.OneErrorLine().ShouldStartWith("error: FAILED: ");
    }

    [Fact]
    public async Task the_built_program_exits_with_the_documented_codes_against_an_api_listening_on_a_port()
    {
        // The Api on Kestrel (not the in-memory test server), on the same test database; Development as under Alba,
        // because the fixture lowers the password iterations for speed, which Production refuses.
        await using var api = ApiHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"]);
        await api.StartAsync();
        var url = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var steward = KeyFile(Steward);
        await BenchmarkTestData.UploadAsync(Steward);

        var listed = await ProgramAsync("datasets", "list", "--api", url, "--key-file", steward);
        (listed.Exit, listed.Error).ShouldBe((0, ""));
        listed.Out.ShouldContain("Wisconsin");

        var listedJson = await ProgramAsync("datasets", "list", "--json", "--api", url, "--key-file", steward);
        JsonNode.Parse(listedJson.Out)!.AsArray().Count.ShouldBe(1);

        var missing = Guid.NewGuid();
        var notFound = await ProgramAsync("datasets", "show", missing.ToString(), "--api", url, "--key-file", steward);
        (notFound.Exit, notFound.OneErrorLine()).ShouldBe((1, $"error: 404 Not found: data set {missing} does not exist"));

        // The key may come from the environment instead of a file.
        var fromEnvironment = await ProgramAsync(["datasets", "list", "--api", url], new() { ["AI4H_API_KEY"] = Steward.ApiKey });
        fromEnvironment.Exit.ShouldBe(0, fromEnvironment.Error);

        (await ProgramAsync("datasets", "list", "--api", url, "--key-file", Path.Combine(_folder, "absent.key"))).Exit.ShouldBe(ExitCodes.LocalFile);
        var unreachable = await ProgramAsync("datasets", "list", "--api", $"http://127.0.0.1:{UnusedPort()}", "--key-file", steward);
        (unreachable.Exit, unreachable.OneErrorLine().Contains("connection refused")).ShouldBe((ExitCodes.Unreachable, true));
        var usage = await ProgramAsync("datasets", "upload", "--api", url, "--key-file", steward);
        (usage.Exit, usage.OneErrorLine().Contains("ai4h datasets upload --help")).ShouldBe((ExitCodes.Usage, true));
        (await ProgramAsync("--help")).Out.ShouldContain("Exit codes:");

        await api.StopAsync();
    }

    private Task<Run> ProgramAsync(params string[] args) => ProgramAsync(args, []);

    /// <summary>Runs the built <c>ai4h</c> program (src/Ai4h.Audit.Cli/bin/…/ai4h.dll) with stdout and stderr apart.</summary>
    private static async Task<Run> ProgramAsync(string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [RunnerProcess.BuiltProgram("Ai4h.Audit.Cli", "ai4h"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("AI4H_API");
        info.Environment.Remove("AI4H_API_KEY");
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start ai4h");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await output, await error);
    }

    /// <summary>A port nothing listens on: bound once by the OS, then released.</summary>
    private static int UnusedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
