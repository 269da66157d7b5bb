using System.Net;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Benchmarks;

public sealed class BenchmarkDefinitionTests(ApiFixture fixture) : ApiTest(fixture)
{
    private Guid _datasetId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _datasetId = await BenchmarkTestData.UploadAsync(Steward);
    }

    [Fact]
    public async Task a_valid_binary_benchmark_is_recorded_with_its_test_data_pinned_by_hash()
    {
        var created = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(_datasetId))).ShouldBe(HttpStatusCode.Created);
        var benchmark = await (await Steward.Http.GetAsync($"/api/benchmarks/{created["benchmarkId"]}")).ShouldBe(HttpStatusCode.OK);

        benchmark["version"]!.GetValue<int>().ShouldBe(1);
        var dataset = await (await Steward.Http.GetAsync($"/api/datasets/{_datasetId}/versions/1")).ShouldBe(HttpStatusCode.OK);
        benchmark["definition"]!["datasetSha256"]!.GetValue<string>().ShouldBe(dataset["sha256"]!.GetValue<string>());
        benchmark["definition"]!["featureColumns"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["x1", "x2"]);
        benchmark["acceptanceCriteriaText"]!.AsArray().Select(c => c!.GetValue<string>())
            .ShouldBe(["auroc lower 95% bound ≥ 0.85", "sensitivity ≥ 0.9 in every sex subgroup with ≥ 30 cases"]);
    }

    public static TheoryData<string, string, object?, string, string> InvalidDefinitions() => new()
    {
        { "unknown label column", "labelColumn", "outcome", "labelColumn", "'outcome' does not exist" },
        { "unknown case id column", "caseIdColumn", "id", "caseIdColumn", "'id' does not exist" },
        { "unknown feature", "featureColumns", new[] { "x1", "x9" }, "featureColumns", "'x9' does not exist" },
        { "text feature", "featureColumns", new[] { "x1", "note" }, "featureColumns", "'note' is Text" },
        { "feature with gaps", "featureColumns", new[] { "x_gap" }, "featureColumns", "4 missing values" },
        { "label as feature", "featureColumns", new[] { "x1", "label" }, "featureColumns", "label column 'label' cannot be a feature" },
        { "feature listed twice", "featureColumns", new[] { "x1", "x1" }, "featureColumns", "listed twice" },
        { "no features", "featureColumns", Array.Empty<string>(), "featureColumns", "at least one feature" },
        { "binary label with four classes", "labelColumn", "grade", "labelColumn", "4 distinct values" },
        { "positive class not a label value", "positiveClass", "yes", "positiveClass", "one of the label values: 0, 1" },
        { "threshold out of range", "decisionThreshold", 1.5, "decisionThreshold", "strictly between 0 and 1" },
        { "continuous subgroup", "subgroupColumns", new[] { "age" }, "subgroupColumns", "'age' is not categorical" },
        { "regression metric on a binary task", "metrics", new[] { "auroc", "rmse" }, "metrics", "'rmse' is not a BinaryClassification metric" },
        { "no metrics", "metrics", Array.Empty<string>(), "metrics", "at least one metric" },
        { "criterion on an unreported metric", "acceptanceCriteria", new object[] { new { metric = "ppv", bound = "Estimate", comparison = "AtLeast", threshold = 0.5 } }, "acceptanceCriteria[0]", "'ppv' is not among" },
        { "criterion on an unknown subgroup", "acceptanceCriteria", new object[] { new { metric = "auroc", bound = "Estimate", comparison = "AtLeast", threshold = 0.5, everySubgroupOf = "site" } }, "acceptanceCriteria[0]", "'site' is not one of" },
        { "bootstrap without a seed", "confidenceInterval", new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 1000 }, "confidenceInterval.seed", "fixed seed" },
        { "interval level of 1", "confidenceInterval", new { method = "Bootstrap", level = 1.0, bootstrapReplicates = 1000, seed = 1 }, "confidenceInterval.level", "below 1" },
        { "empty name", "name", "", "name", "1 to 200" },
        { "unknown data set version", "datasetVersion", 7, "datasetVersion", "has no version 7" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public async Task an_invalid_definition_is_refused_naming_the_field_and_rule(string because, string key, object? value, string field, string rule)
    {
        var before = await Fixture.EventCountAsync();
        var problem = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(_datasetId).With(key, value)))
            .ShouldBeProblem(HttpStatusCode.BadRequest);

        var messages = problem["errors"]![field]?.AsArray().Select(m => m!.GetValue<string>()).ToList();
        messages.ShouldNotBeNull($"{because}: {problem.ToJsonString()}");
        messages.ShouldContain(m => m.Contains(rule), because);
        (await Fixture.EventCountAsync()).ShouldBe(before, because);
    }

    [Fact]
    public async Task analytic_intervals_cover_proportions_and_auroc_but_other_metrics_need_the_bootstrap()
    {
        var wilson = BenchmarkTestData.Binary(_datasetId).With("confidenceInterval", new { method = "Wilson", level = 0.95 });
        await (await Steward.Http.PostJson("/api/benchmarks", wilson)).ShouldBe(HttpStatusCode.Created);

        var withBrier = wilson.With("metrics", new[] { "auroc", "sensitivity", "brier" });
        (await (await Steward.Http.PostJson("/api/benchmarks", withBrier)).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["confidenceInterval.method"]![0]!.GetValue<string>().ShouldContain("brier need Bootstrap");
    }

    [Fact]
    public async Task task_types_check_their_labels()
    {
        var regression = BenchmarkTestData.Binary(_datasetId).With("taskType", "Regression").With("labelColumn", "note")
            .With("positiveClass", null).With("decisionThreshold", null).With("metrics", new[] { "mae" }).With("acceptanceCriteria", null);
        var problem = await (await Steward.Http.PostJson("/api/benchmarks", regression)).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["labelColumn"]![0]!.GetValue<string>().ShouldContain("must be numeric");

        var okRegression = regression.With("labelColumn", "severity");
        await (await Steward.Http.PostJson("/api/benchmarks", okRegression)).ShouldBe(HttpStatusCode.Created);

        var multiclass = regression.With("taskType", "MulticlassClassification").With("labelColumn", "grade").With("metrics", new[] { "macro_f1" });
        await (await Steward.Http.PostJson("/api/benchmarks", multiclass)).ShouldBe(HttpStatusCode.Created);
        var notIntegers = multiclass.With("labelColumn", "sex");
        (await (await Steward.Http.PostJson("/api/benchmarks", notIntegers)).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["labelColumn"]![0]!.GetValue<string>().ShouldContain("non-negative integer");
    }

    [Fact]
    public async Task duplicate_case_ids_are_refused()
    {
        var csv = System.Text.Encoding.UTF8.GetBytes("case_id,x1,label\na,1,0\na,2,1\nb,3,1\n");
        var datasetId = await BenchmarkTestData.UploadAsync(Steward, csv);
        var definition = BenchmarkTestData.Binary(datasetId).With("featureColumns", new[] { "x1" }).With("subgroupColumns", null)
            .With("acceptanceCriteria", null);
        var problem = await (await Steward.Http.PostJson("/api/benchmarks", definition)).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["caseIdColumn"]![0]!.GetValue<string>().ShouldContain("duplicate case ids");
    }

    [Fact]
    public async Task a_revision_is_a_new_version_with_its_reason_and_the_old_version_stands()
    {
        var created = await (await Steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(_datasetId))).ShouldBe(HttpStatusCode.Created);
        var id = created["benchmarkId"]!.GetValue<Guid>();

        var noReason = BenchmarkTestData.Binary(_datasetId).With("decisionThreshold", 0.4).With("reason", null);
        (await (await Steward.Http.PostJson($"/api/benchmarks/{id}/versions", noReason)).ShouldBeProblem(HttpStatusCode.BadRequest))
            ["errors"]!["reason"].ShouldNotBeNull();

        var same = BenchmarkTestData.Binary(_datasetId).With("reason", "no change");
        await (await Steward.Http.PostJson($"/api/benchmarks/{id}/versions", same)).ShouldBeProblem(HttpStatusCode.Conflict);

        var stale = BenchmarkTestData.Binary(_datasetId).With("decisionThreshold", 0.4).With("reason", "r").With("expectedVersion", 5);
        await (await Steward.Http.PostJson($"/api/benchmarks/{id}/versions", stale)).ShouldBeProblem(HttpStatusCode.Conflict);

        var revision = BenchmarkTestData.Binary(_datasetId).With("decisionThreshold", 0.4).With("reason", "Operating point agreed with clinicians")
            .With("expectedVersion", 1);
        (await (await Steward.Http.PostJson($"/api/benchmarks/{id}/versions", revision)).ShouldBe(HttpStatusCode.Created))
            ["version"]!.GetValue<int>().ShouldBe(2);

        (await (await Steward.Http.GetAsync($"/api/benchmarks/{id}/versions/1")).ShouldBe(HttpStatusCode.OK))
            ["definition"]!["decisionThreshold"]!.GetValue<double>().ShouldBe(0.5);
        var current = await (await Steward.Http.GetAsync($"/api/benchmarks/{id}")).ShouldBe(HttpStatusCode.OK);
        current["version"]!.GetValue<int>().ShouldBe(2);
        current["reason"]!.GetValue<string>().ShouldBe("Operating point agreed with clinicians");
    }

    [Theory]
    [InlineData(Role.ModelDeveloper)]
    [InlineData(Role.Regulator)]
    public async Task only_stewards_and_audit_leads_define_benchmarks(Role role)
    {
        var user = await Fixture.CreateUserAsync("other", role);
        await (await user.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(_datasetId))).ShouldBeProblem(HttpStatusCode.Forbidden);
    }
}
