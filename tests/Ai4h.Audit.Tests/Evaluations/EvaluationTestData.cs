using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Infrastructure;
using Ai4h.Audit.Tests.Submissions;

namespace Ai4h.Audit.Tests.Evaluations;

/// <summary>
/// A fair WDBC benchmark for evaluations: the even-numbered cases, which the committed model never saw in training,
/// with a nuclear-size subgroup column (mean_radius below 14 or not), and helpers to submit, request and wait.
/// </summary>
public static class EvaluationTestData
{
    public static string ModelsFolder => Path.Combine(AppContext.BaseDirectory, "Models");

    /// <summary>data/wdbc/wdbc-holdout.csv (made by make_holdout.py), or its first <paramref name="cases"/> cases.</summary>
    public static byte[] HoldOutCsv(int cases = int.MaxValue)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc-holdout.csv"));
        if (cases == int.MaxValue) return bytes;
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(cases + 1)) + "\n");
    }

    public static readonly string[] Features = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelsFolder, "wdbc-logreg", "manifest.json")))!
        ["featureColumns"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();

    public static async Task<Guid> DefineHoldOutBenchmark(TestUser steward, object? confidenceInterval = null, int cases = int.MaxValue)
    {
        var datasetId = await BenchmarkTestData.UploadAsync(steward, HoldOutCsv(cases));
        var created = await (await steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(datasetId)
            .With("caseIdColumn", "case_id").With("labelColumn", "diagnosis").With("featureColumns", Features)
            .With("subgroupColumns", new[] { "nuclear_size" })
            .With("metrics", new[] { "auroc", "sensitivity", "specificity" })
            .With("confidenceInterval", confidenceInterval ?? new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 500, seed = 7 })
            .With("acceptanceCriteria", new object[]
            {
                new { metric = "auroc", bound = "LowerBound", comparison = "AtLeast", threshold = 0.9 },
                new { metric = "sensitivity", bound = "Estimate", comparison = "AtLeast", threshold = 0.99, everySubgroupOf = "nuclear_size", minSubgroupCases = 20 },
            }))).ShouldBe(HttpStatusCode.Created);
        return created["benchmarkId"]!.GetValue<Guid>();
    }

    public static async Task<Guid> SubmitAsync(TestUser developer, Guid benchmarkId, string modelFile = "wdbc-logreg/model.onnx", string modelVersion = "1.0.0")
    {
        var manifest = SubmissionTests.Manifest(benchmarkId);
        manifest["modelVersion"] = modelVersion;
        var created = await (await SubmissionTests.Submit(developer, File.ReadAllBytes(Path.Combine(ModelsFolder, modelFile)), manifest))
            .ShouldBe(HttpStatusCode.Created);
        return created["submissionId"]!.GetValue<Guid>();
    }

    public static async Task<string> RequestAsync(TestUser requester, Guid submissionId, string reason = "First evaluation")
    {
        var accepted = await (await requester.Http.PostJson($"/api/submissions/{submissionId}/evaluations", new { reason }))
            .ShouldBe(HttpStatusCode.Accepted);
        return accepted["url"]!.GetValue<string>();
    }

    /// <summary>Polls an evaluation until it satisfies <paramref name="done"/> (progress is visible through the same URL).</summary>
    public static async Task<JsonNode> WaitFor(TestUser reader, string url, Func<JsonNode, bool> done, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var evaluation = await (await reader.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
            if (done(evaluation)) return evaluation;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"evaluation {url} did not get there within {seconds} s: {evaluation.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    public static bool IsFinished(JsonNode evaluation) => evaluation["status"]!.GetValue<string>() is "Completed" or "Failed";

    public static async Task<JsonArray> History(TestUser reader, string url) =>
        (await (await reader.Http.GetAsync($"{url}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();

    public static int Count(JsonArray history, string type) => history.Count(e => e!["type"]!.GetValue<string>() == type);
}
