using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Infrastructure;
using Ai4h.Audit.Tests.Submissions;
using static Ai4h.Audit.Tests.Evaluations.EvaluationTestData;

namespace Ai4h.Audit.Tests.Evaluations;

/// <summary>
/// The whole chain for the other task types, on real public data: a multiclass model (wine cultivars) and a
/// regression model (diabetes progression). The platform's numbers are compared with scikit-learn's, computed when
/// the models were made (Models/README.md: hold-out = the even-numbered cases), to the 4 decimals printed there.
/// </summary>
public sealed class TaskTypeTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const double Printed = 5e-5;
    private TestUser _dev = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
    }

    [Fact]
    public async Task a_multiclass_model_is_evaluated_with_multiclass_metrics_that_match_scikit_learn()
    {
        var results = await Evaluate("wine", "MulticlassClassification", "cultivar", [], ["accuracy", "macro_f1", "macro_auroc"]);

        results["accuracy"]!["value"]!.GetValue<double>().ShouldBe(0.9663, Printed);
        results["balanced_accuracy"]!["value"]!.GetValue<double>().ShouldBe(0.9722, Printed);
        results["macro_f1"]!["value"]!.GetValue<double>().ShouldBe(0.9676, Printed);
        results["macro_auroc"]!["value"]!.GetValue<double>().ShouldBe(1.0, Printed);
        results["log_loss"]!["value"]!.GetValue<double>().ShouldBe(0.0805, Printed);
        results["accuracy"]!["method"]!.GetValue<string>().ShouldBe("bootstrap_percentile");
    }

    [Fact]
    public async Task a_regression_model_is_evaluated_per_subgroup_with_regression_metrics_that_match_scikit_learn()
    {
        var results = await Evaluate("diabetes", "Regression", "progression", ["sex_group"], ["mae", "rmse", "r2"]);

        results["r2"]!["value"]!.GetValue<double>().ShouldBe(0.4181, Printed);
        results["mae"]!["value"]!.GetValue<double>().ShouldBe(44.2504, Printed);
        results["rmse"]!["value"]!.GetValue<double>().ShouldBe(54.4016, Printed);
        results["mae"]!["ci_lower"]!.GetValue<double>().ShouldBeLessThan(44.2504);
        results["pearson"]!["value"]!.GetValue<double>().ShouldBeGreaterThan(0);
    }

    /// <summary>Uploads the even-numbered cases, defines the benchmark, submits the model, evaluates it; returns the overall metrics.</summary>
    private async Task<JsonNode> Evaluate(string name, string taskType, string label, string[] subgroups, string[] metrics)
    {
        var lines = File.ReadAllLines(Path.Combine(ModelsFolder, $"{name}.csv"));
        var holdOut = lines.Take(1).Concat(lines.Skip(1).Where((_, i) => (i + 1) % 2 == 0));
        var datasetId = await BenchmarkTestData.UploadAsync(Steward, Encoding.UTF8.GetBytes(string.Join('\n', holdOut) + "\n"));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelsFolder, $"{name}-{(name == "wine" ? "logreg" : "linreg")}.manifest.json")))!.AsObject();
        var features = manifest["featureColumns"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();

        var benchmark = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(datasetId)
            .With("taskType", taskType).With("labelColumn", label).With("featureColumns", features).With("subgroupColumns", subgroups)
            .With("positiveClass", null).With("decisionThreshold", null).With("metrics", metrics)
            .With("confidenceInterval", new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 200, seed = 11 })
            .With("acceptanceCriteria", new object[0]))).ShouldBe(HttpStatusCode.Created);
        manifest["benchmarkId"] = benchmark["benchmarkId"]!.GetValue<Guid>();
        var model = File.ReadAllBytes(Path.Combine(ModelsFolder, $"{name}-{(name == "wine" ? "logreg" : "linreg")}.onnx"));
        var submitted = await (await SubmissionTests.Submit(_dev, model, manifest)).ShouldBe(HttpStatusCode.Created);

        var url = await RequestAsync(_dev, submitted["submissionId"]!.GetValue<Guid>());
        var evaluation = await WaitFor(_dev, url, IsFinished);
        evaluation["status"]!.GetValue<string>().ShouldBe("Completed", evaluation.ToJsonString());
        evaluation["passed"]!.GetValue<bool>().ShouldBeTrue(); // no criteria: nothing to fail
        var levels = evaluation["results"]!["subgroups"]!.AsArray().SelectMany(s => s!["levels"]!.AsArray()).ToList();
        levels.Sum(l => l!["cases"]!.GetValue<int>()).ShouldBe(subgroups.Length == 0 ? 0 : evaluation["results"]!["cases"]!.GetValue<int>());
        return evaluation["results"]!["metrics"]!;
    }
}
