using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Submissions;

public sealed class SubmissionTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static readonly string ModelFolder = Path.Combine(AppContext.BaseDirectory, "Models", "wdbc-logreg");
    internal static readonly byte[] Model = File.ReadAllBytes(Path.Combine(ModelFolder, "model.onnx"));
    internal static readonly byte[] Wdbc = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "wdbc.csv"));

    private Guid _benchmarkId;
    private TestUser _dev = null!, _otherDev = null!, _auditor = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _benchmarkId = await DefineWdbcBenchmark(Steward);
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        _otherDev = await Fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        _auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
    }

    internal static async Task<Guid> DefineWdbcBenchmark(TestUser steward)
    {
        var datasetId = await BenchmarkTestData.UploadAsync(steward, Wdbc);
        var features = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelFolder, "manifest.json")))!["featureColumns"]!.AsArray()
            .Select(f => f!.GetValue<string>()).ToArray();
        var created = await (await steward.Http.PostJson("/api/benchmarks", BenchmarkTestData.Binary(datasetId)
            .With("caseIdColumn", "case_id").With("labelColumn", "diagnosis").With("featureColumns", features)
            .With("subgroupColumns", null).With("acceptanceCriteria", null))).ShouldBe(HttpStatusCode.Created);
        return created["benchmarkId"]!.GetValue<Guid>();
    }

    internal static JsonObject Manifest(Guid benchmarkId)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelFolder, "manifest.json")))!.AsObject();
        manifest["benchmarkId"] = benchmarkId;
        return manifest;
    }

    internal static Task<HttpResponseMessage> Submit(TestUser dev, byte[] model, JsonObject? manifest, Dictionary<string, string>? extra = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(model), "model", "model.onnx" } };
        if (manifest is not null) form.Add(new StringContent(manifest.ToJsonString()), "manifest");
        foreach (var (k, v) in extra ?? []) form.Add(new StringContent(v), k);
        return dev.Http.PostAsync("/api/submissions", form);
    }

    [Fact]
    public async Task a_model_that_fits_its_manifest_and_benchmark_is_recorded_with_its_hash()
    {
        var created = await (await Submit(_dev, Model, Manifest(_benchmarkId))).ShouldBe(HttpStatusCode.Created);

        created["modelSha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Model)));
        created["signature"]!["inputShape"]!.AsArray().Select(d => d!.GetValue<long>()).ShouldBe([-1L, 30L]);
        var history = (await (await _dev.Http.GetAsync($"{created["url"]}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Single()!["type"]!.GetValue<string>().ShouldBe("model_submitted");
        history.Single()!["actor"]!.GetValue<string>().ShouldBe("dev");
        history.Single()!["data"]!["signature"]!["onnxRuntimeVersion"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    public static TheoryData<string, string, string> BadSubmissions() => new()
    {
        { "garbage instead of ONNX", "garbage", "model" },
        { "truncated ONNX", "truncated", "model" },
        { "no manifest", "no-manifest", "manifest" },
        { "manifest is not JSON", "manifest-not-json", "manifest" },
        { "manifest with an unknown field", "manifest-extra-field", "manifest" },
        { "features in another order", "features-reordered", "featureColumns" },
        { "unknown benchmark", "unknown-benchmark", "benchmarkId" },
        { "wrong input tensor name", "wrong-input", "inputTensor" },
        { "regression output for a binary benchmark", "wrong-kind", "outputKind" },
        { "empty model name", "no-name", "modelName" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task a_bad_submission_is_refused_naming_the_field_and_nothing_is_recorded(string because, string kind, string field)
    {
        var manifest = Manifest(_benchmarkId);
        var model = Model;
        switch (kind)
        {
            case "garbage": model = "not onnx"u8.ToArray(); break;
            case "truncated": model = Model[..(Model.Length / 2)]; break;
            case "no-manifest": manifest = null; break;
            case "manifest-not-json": manifest = null; break;
            case "manifest-extra-field": manifest["trainedOnTestSet"] = false; break;
            case "features-reordered":
                manifest["featureColumns"] = new JsonArray(manifest["featureColumns"]!.AsArray().Reverse().Select(f => (JsonNode)f!.GetValue<string>()).ToArray());
                break;
            case "unknown-benchmark": manifest["benchmarkId"] = Guid.NewGuid(); break;
            case "wrong-input": manifest["inputTensor"] = "input"; break;
            case "wrong-kind": manifest["outputKind"] = "RegressionValue"; break;
            case "no-name": manifest["modelName"] = ""; break;
        }
        var before = await Fixture.EventCountAsync();

        var response = kind == "manifest-not-json"
            ? await Submit(_dev, model, null, new() { ["manifest"] = "{not json" })
            : await Submit(_dev, model, manifest);

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]![field].ShouldNotBeNull($"{because}: {problem.ToJsonString()}");
        (await Fixture.EventCountAsync()).ShouldBe(before, because);
    }

    [Fact]
    public async Task developers_see_only_their_own_submissions_and_assessors_see_all()
    {
        var mine = await (await Submit(_dev, Model, Manifest(_benchmarkId))).ShouldBe(HttpStatusCode.Created);
        var theirs = await (await Submit(_otherDev, Model, Manifest(_benchmarkId))).ShouldBe(HttpStatusCode.Created);

        (await (await _dev.Http.GetAsync("/api/submissions")).ShouldBe(HttpStatusCode.OK)).AsArray()
            .Select(s => s!["id"]!.GetValue<Guid>()).ShouldBe([mine["submissionId"]!.GetValue<Guid>()]);
        await (await _dev.Http.GetAsync(theirs["url"]!.GetValue<string>())).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _dev.Http.GetAsync($"{theirs["url"]}/history")).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await (await _auditor.Http.GetAsync("/api/submissions")).ShouldBe(HttpStatusCode.OK)).AsArray().Count.ShouldBe(2);
        await (await Steward.Http.PostAsync("/api/submissions", new MultipartFormDataContent())).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_new_version_links_to_the_developers_previous_submission()
    {
        var first = await (await Submit(_dev, Model, Manifest(_benchmarkId))).ShouldBe(HttpStatusCode.Created);
        var firstId = first["submissionId"]!.GetValue<string>();

        var sameVersion = await Submit(_dev, Model, Manifest(_benchmarkId), new() { ["previousSubmissionId"] = firstId });
        (await sameVersion.ShouldBeProblem(HttpStatusCode.BadRequest))["errors"]!["modelVersion"].ShouldNotBeNull();

        var next = Manifest(_benchmarkId);
        next["modelVersion"] = "1.1.0";
        var notMine = await Submit(_otherDev, Model, next, new() { ["previousSubmissionId"] = firstId });
        (await notMine.ShouldBeProblem(HttpStatusCode.BadRequest))["errors"]!["previousSubmissionId"].ShouldNotBeNull();

        var second = await (await Submit(_dev, Model, next, new() { ["previousSubmissionId"] = firstId, ["reason"] = "recalibrated" }))
            .ShouldBe(HttpStatusCode.Created);
        var read = await (await _dev.Http.GetAsync(second["url"]!.GetValue<string>())).ShouldBe(HttpStatusCode.OK);
        read["previousSubmissionId"]!.GetValue<string>().ShouldBe(firstId);
    }
}
