using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;
using static Ai4h.Audit.Tests.Evaluations.EvaluationTestData;

namespace Ai4h.Audit.Tests.Evaluations;

/// <summary>
/// A submitted model evaluated by the Runner on data its developer never sees: the request, the recorded read of the
/// test data, the numbers (re-computed here from the stored predictions), the reproducibility record and failures.
/// </summary>
public sealed class EvaluationTests(ApiFixture fixture) : ApiTest(fixture)
{
    private TestUser _dev = null!, _rival = null!, _auditor = null!;
    private Guid _benchmarkId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        _rival = await Fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        _auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
        _benchmarkId = await DefineHoldOutBenchmark(Steward);
    }

    [Fact]
    public async Task the_runner_evaluates_a_submission_and_records_numbers_anyone_can_recompute_from_the_stored_predictions()
    {
        var submissionId = await SubmitAsync(_dev, _benchmarkId);
        var url = await RequestAsync(_dev, submissionId);
        var evaluation = await WaitFor(_dev, url, IsFinished);

        evaluation["status"]!.GetValue<string>().ShouldBe("Completed", evaluation.ToJsonString());
        evaluation["casesDone"]!.GetValue<int>().ShouldBe(284);
        evaluation["casesTotal"]!.GetValue<int>().ShouldBe(284);

        // The reproducibility record: exact inputs by hash, software, seed, server times, predictions by hash.
        var provenance = evaluation["provenance"]!;
        provenance["modelSha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(ModelsFolder, "wdbc-logreg", "model.onnx")))));
        provenance["datasetSha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(HoldOutCsv())));
        provenance["benchmarkVersion"]!.GetValue<int>().ShouldBe(1);
        provenance["seed"]!.GetValue<int>().ShouldBe(7);
        provenance["onnxRuntimeVersion"]!.GetValue<string>().ShouldBe(Ai4h.Audit.Inference.ModelInspector.RuntimeVersion);
        provenance["runnerVersion"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        provenance["machine"]!.GetValue<string>().ShouldBe(Environment.MachineName);
        provenance["finishedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThanOrEqualTo(provenance["startedAt"]!.GetValue<DateTimeOffset>());

        // The predictions are stored, hash-checked, and for assessors only.
        var predictionsResponse = await _auditor.Http.GetAsync($"{url}/predictions");
        predictionsResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var predictions = await predictionsResponse.Content.ReadAsByteArrayAsync();
        Convert.ToHexStringLower(SHA256.HashData(predictions)).ShouldBe(provenance["predictionsSha256"]!.GetValue<string>());
        await (await _dev.Http.GetAsync($"{url}/predictions")).ShouldBeProblem(HttpStatusCode.Forbidden);

        // Recompute AUROC (all positive-negative pairs) and sensitivity from the predictions and the labels, independently.
        var scores = Encoding.UTF8.GetString(predictions).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .ToDictionary(l => l.Split(',')[0], l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture));
        var labels = Encoding.UTF8.GetString(HoldOutCsv()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .ToDictionary(l => l.Split(',')[0], l => l.Split(',')[31] == "1");
        scores.Keys.Order().ShouldBe(labels.Keys.Order());
        var positives = labels.Where(kv => kv.Value).Select(kv => scores[kv.Key]).ToList();
        var negatives = labels.Where(kv => !kv.Value).Select(kv => scores[kv.Key]).ToList();
        var pairs = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0));
        var metrics = evaluation["results"]!["metrics"]!;
        metrics["auroc"]!["value"]!.GetValue<double>().ShouldBe(pairs / (positives.Count * (double)negatives.Count), 1e-12);
        metrics["sensitivity"]!["value"]!.GetValue<double>().ShouldBe(positives.Count(p => p >= 0.5) / (double)positives.Count, 1e-12);
        metrics["auroc"]!["method"]!.GetValue<string>().ShouldBe("bootstrap_percentile");
        metrics["auroc"]!["ci_lower"]!.GetValue<double>().ShouldBeLessThan(metrics["auroc"]!["value"]!.GetValue<double>());
        metrics["auroc"]!["ci_upper"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(metrics["auroc"]!["value"]!.GetValue<double>());

        // Subgroups carry their case counts; verdicts carry the numbers they were judged on.
        var subgroup = evaluation["results"]!["subgroups"]!.AsArray().Single()!;
        subgroup["column"]!.GetValue<string>().ShouldBe("nuclear_size");
        var levels = subgroup["levels"]!.AsArray();
        levels.Select(l => (l!["level"]!.GetValue<string>(), l["cases"]!.GetValue<int>())).ShouldBe([("large", 117), ("small", 167)]);
        var verdicts = evaluation["results"]!["verdicts"]!.AsArray();
        verdicts.Count.ShouldBe(2);
        verdicts[0]!["judged"]!.GetValue<double>().ShouldBe(metrics["auroc"]!["ci_lower"]!.GetValue<double>());
        verdicts[1]!["levels"]!.AsArray().Select(l => l!["level"]!.GetValue<string>()).ShouldBe(["large", "small"]);
        evaluation["passed"]!.GetValue<bool>().ShouldBe(verdicts.All(v => v!["passed"]!.GetValue<bool>()));

        // The Runner's read of the sequestered labels is on the benchmark's record, with the evaluation as its purpose.
        var history = (await (await Steward.Http.GetAsync($"/api/benchmarks/{_benchmarkId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var read = history.Single(e => e!["type"]!.GetValue<string>() == "sequestered_data_read");
        read!["actor"]!.GetValue<string>().ShouldBe("system:runner");
        read!["data"]!["purpose"]!.GetValue<string>().ShouldContain(url.Split('/')[^1]);

        var events = await History(_dev, url);
        events.Select(e => e!["type"]!.GetValue<string>()).Where(t => t != "evaluation_progressed")
            .ShouldBe(["evaluation_requested", "evaluation_started", "evaluation_completed"]);
        events[0]!["actor"]!.GetValue<string>().ShouldBe("dev");
        events[^1]!["actor"]!.GetValue<string>().ShouldBe("system:runner");
        events[^1]!["correlationId"]!.GetValue<string>().ShouldBe(events[0]!["correlationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task developers_see_their_own_evaluations_and_history_only()
    {
        var submissionId = await SubmitAsync(_dev, _benchmarkId);
        var url = await RequestAsync(_dev, submissionId);
        await WaitFor(_dev, url, IsFinished);
        var second = await SubmitAsync(_dev, _benchmarkId, modelVersion: "1.0.1");

        await (await _rival.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _rival.Http.PostJson($"/api/submissions/{submissionId}/evaluations", new { reason = "peek" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _auditor.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);

        var list = (await (await _dev.Http.GetAsync($"/api/submissions/{submissionId}/evaluations")).ShouldBe(HttpStatusCode.OK)).AsArray();
        list.Single()!["status"]!.GetValue<string>().ShouldBe("Completed");
        var lineage = (await (await _dev.Http.GetAsync($"/api/submissions/{submissionId}/lineage")).ShouldBe(HttpStatusCode.OK)).AsArray();
        lineage.Count.ShouldBe(1); // 1.0.1 was submitted as a separate model line (no previousSubmissionId)
        lineage[0]!["evaluations"]!.AsArray().Single()!["passed"].ShouldNotBeNull();
        lineage[0]!["audit"]!["stage"]!.GetValue<string>().ShouldBe("not audited");
        second.ShouldNotBe(submissionId);
    }

    [Fact]
    public async Task bad_requests_are_refused_with_the_field_and_record_nothing()
    {
        var submissionId = await SubmitAsync(_dev, _benchmarkId);
        var before = await Fixture.EventCountAsync();
        await (await _dev.Http.PostJson($"/api/submissions/{Guid.NewGuid()}/evaluations", new { reason = "x" })).ShouldBeProblem(HttpStatusCode.NotFound);
        var tooLong = await (await _dev.Http.PostJson($"/api/submissions/{submissionId}/evaluations", new { reason = new string('r', 2001) }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        tooLong["errors"]!["reason"].ShouldNotBeNull();
        await (await _dev.Http.PostRaw($"/api/submissions/{submissionId}/evaluations", "{\"reason\": ")).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task of_two_requests_at_the_same_moment_for_one_submission_one_is_accepted_and_the_other_is_409()
    {
        var submissionId = await SubmitAsync(_dev, _benchmarkId);
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            _dev.Http.PostJson($"/api/submissions/{submissionId}/evaluations", new { reason = "twice" })));

        responses.Select(r => (int)r.StatusCode).Order().ShouldBe([202, 409]);
        var list = (await (await _dev.Http.GetAsync($"/api/submissions/{submissionId}/evaluations")).ShouldBe(HttpStatusCode.OK)).AsArray();
        list.Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_redelivered_message_for_a_finished_evaluation_records_nothing_more()
    {
        var url = await RequestAsync(_dev, await SubmitAsync(_dev, _benchmarkId));
        await WaitFor(_dev, url, IsFinished);
        var before = (await History(_dev, url)).Count;
        var handled = await HandledRunMessagesAsync();

        await using (var scope = Fixture.Host.Services.CreateAsyncScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
            for (var i = 0; i < 3; i++) await bus.SendAsync(new Domain.Evaluations.RunEvaluation(Guid.Parse(url.Split('/')[^1])));
        }
        // Wait until the Runner has really handled all three (its inbox keeps handled envelopes for a while).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await HandledRunMessagesAsync() < handled + 3)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the Runner did not handle the redelivered messages");
            await Task.Delay(250);
        }

        var after = await History(_dev, url);
        after.Count.ShouldBe(before);
        Count(after, "evaluation_completed").ShouldBe(1);
    }

    [Theory]
    [InlineData("fails-at-run-time.onnx", "ONNX Runtime failed while scoring")]
    [InlineData("nan-output.onnx", "case #1 (id wdbc-0002) is NaN")]
    public async Task a_model_that_fails_or_outputs_nonsense_gives_evaluation_failed_with_the_reason(string model, string reason)
    {
        var submissionId = await SubmitAsync(_dev, _benchmarkId, model);
        var url = await RequestAsync(_dev, submissionId);
        var evaluation = await WaitFor(_dev, url, IsFinished);

        evaluation["status"]!.GetValue<string>().ShouldBe("Failed");
        evaluation["failureReason"]!.GetValue<string>().ShouldContain(reason);
        evaluation["results"].ShouldBeNull();
        Count(await History(_dev, url), "evaluation_failed").ShouldBe(1);
    }

    [Fact]
    public async Task other_developers_results_are_visible_only_once_the_benchmarks_leaderboard_is_published()
    {
        var url = await RequestAsync(_dev, await SubmitAsync(_dev, _benchmarkId));
        await WaitFor(_dev, url, IsFinished);
        var leaderboard = $"/api/benchmarks/{_benchmarkId}/leaderboard";

        await (await _rival.Http.GetAsync(leaderboard)).ShouldBeProblem(HttpStatusCode.Forbidden);
        var seenByAuditor = await (await _auditor.Http.GetAsync(leaderboard)).ShouldBe(HttpStatusCode.OK);
        seenByAuditor["published"]!.GetValue<bool>().ShouldBeFalse();

        await (await Steward.Http.PostJson($"{leaderboard}/publication", new { published = true })).ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await Steward.Http.PostJson($"{leaderboard}/publication", new { published = true, reason = "Round 1 closed" })).ShouldBe(HttpStatusCode.OK);
        await (await Steward.Http.PostJson($"{leaderboard}/publication", new { published = true, reason = "again" })).ShouldBeProblem(HttpStatusCode.Conflict);

        var board = await (await _rival.Http.GetAsync(leaderboard)).ShouldBe(HttpStatusCode.OK);
        var entry = board["entries"]!.AsArray().Single()!;
        entry["modelName"]!.GetValue<string>().ShouldBe("WDBC logistic regression");
        entry["metrics"]!.AsObject().Select(kv => kv.Key).ShouldBe(["auroc", "sensitivity", "specificity"]);
        entry["metrics"]!["auroc"]!["value"]!.GetValue<double>().ShouldBe(
            (await (await _dev.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["results"]!["metrics"]!["auroc"]!["value"]!.GetValue<double>());
        // The leaderboard shows results, not the submissions themselves.
        await (await _rival.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.Forbidden);

        // Withdrawn, it is closed to developers again.
        await (await Steward.Http.PostJson($"{leaderboard}/publication", new { published = false, reason = "Published by mistake" })).ShouldBe(HttpStatusCode.OK);
        await (await _rival.Http.GetAsync(leaderboard)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    private Task<long> HandledRunMessagesAsync() => Fixture.ScalarAsync(
        "select count(*) from ai4h.wolverine_incoming_envelopes where status = 'Handled' and message_type like '%.RunEvaluation'");
}
