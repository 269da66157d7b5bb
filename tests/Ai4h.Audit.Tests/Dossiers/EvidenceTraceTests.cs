using System.Net;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>
/// From a decision, a signature or a verdict back to what it rests on: every bound hash recomputed from the events as
/// they are now, so an answer altered behind the application's back shows as a signature that no longer fits.
/// </summary>
public sealed class EvidenceTraceTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static IEnumerable<string> Whats(JsonNode trace) => trace["chain"]!.AsArray().Select(l => l!["what"]!.GetValue<string>());

    private static JsonNode Link(JsonNode trace, string what) => trace["chain"]!.AsArray().First(l => l!["what"]!.GetValue<string>().StartsWith(what, StringComparison.Ordinal))!;

    [Fact]
    public async Task the_decision_traces_to_the_sign_off_every_item_signature_answer_and_evidence_and_an_altered_answer_breaks_its_signature()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var url = $"/api/submissions/{s.SubmissionId}/decision/trace";

        var trace = await (await s.Regulator.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        trace["claim"]!.GetValue<string>().ShouldContain("(Approved)");
        Whats(trace).First().ShouldBe("decision: Approved");
        Link(trace, "decision: Approved")["detail"]!.GetValue<string>().ShouldContain("by REGULATOR");
        Whats(trace).ShouldContain("checklist signed off (Approved)");
        foreach (var item in AuditedSubmission.AiMlItems.Append("C1"))
        {
            Whats(trace).ShouldContain($"item {item} signed (Reviewed)");
            Whats(trace).ShouldContain($"item {item} answered: Met");
        }
        Whats(trace).Last().ShouldBe("checklist template");
        // Every bound hash (decision, sign-off, five item signatures, template) and every artefact re-checks now.
        var hashed = trace["chain"]!.AsArray().Where(l => l!["sha256"] is not null).ToList();
        hashed.Count.ShouldBeGreaterThanOrEqualTo(1 + 1 + 5 + 1 + 1);
        hashed.ShouldAllBe(l => l!["storedBytesMatch"]!.GetValue<bool>());
        Link(trace, "decision evidence: evaluation")["sha256"]!.GetValue<string>().ShouldBe(
            (await (await s.Regulator.Http.GetAsync(s.EvaluationUrl)).ShouldBe(HttpStatusCode.OK))["provenance"]!["predictionsSha256"]!.GetValue<string>());

        // One signature's own trace, by the id of the event that recorded it.
        var history = await s.AuditHistoryAsync();
        var c1Signed = history.First(e => e!["type"]!.GetValue<string>() == "item_signed" && e["data"]!["itemId"]!.GetValue<string>() == "C1")!;
        var signature = await (await s.Lead.Http.GetAsync($"{s.AuditUrl}/signatures/{c1Signed["eventId"]!.GetValue<Guid>()}/trace")).ShouldBe(HttpStatusCode.OK);
        Whats(signature).Take(2).ShouldBe(["item C1 signed (Reviewed)", "item C1 answered: Met"]);
        Link(signature, "item C1 signed")["sequence"]!.GetValue<long>().ShouldBe(c1Signed["sequence"]!.GetValue<long>());
        Link(signature, "item C1 signed")["storedBytesMatch"]!.GetValue<bool>().ShouldBeTrue();
        var answered = history.First(e => e!["type"]!.GetValue<string>() == "item_answered")!["eventId"]!.GetValue<Guid>();
        await (await s.Lead.Http.GetAsync($"{s.AuditUrl}/signatures/{answered}/trace")).ShouldBeProblem(HttpStatusCode.NotFound); // not a signature

        // A database administrator rewrites the signed answer to C1: the signature on it, and the sign-off over all answers, no longer fit.
        (await Fixture.ScalarAsync($"""
            with altered as (update ai4h.mt_events set data = jsonb_set(data, '{"{Rationale}"}', '"Nothing was checked"')
             where stream_id = '{s.AuditId}' and type = 'item_answered' and data->>'ItemId' = 'C1' returning 1) select count(*) from altered
            """)).ShouldBe(1);
        var tampered = await (await s.Regulator.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        Link(tampered, "item C1 signed")["storedBytesMatch"]!.GetValue<bool>().ShouldBeFalse();
        Link(tampered, "checklist signed off")["storedBytesMatch"]!.GetValue<bool>().ShouldBeFalse();
        Link(tampered, "item B1 signed")["storedBytesMatch"]!.GetValue<bool>().ShouldBeTrue();

        // The developer may read the trace of their own submission; another developer may not.
        await (await s.Developer.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        var rival = await Fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        await (await rival.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task the_pdf_shows_every_signature_manifestation_and_the_decision_exactly_as_the_api_returns_them()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var audit = await (await s.Regulator.Http.GetAsync(s.AuditUrl)).ShouldBe(HttpStatusCode.OK);
        var pdf = await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/dossier/export?format=pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        var file = Path.Combine(Path.GetTempPath(), $"dossier-{Guid.NewGuid():N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(file, await pdf.Content.ReadAsByteArrayAsync());
            var (exit, text) = await Programs.RunAsync("pdftotext", "-raw", file, "-");
            exit.ShouldBe(0, text);
            // Part 11 §11.50: printed name, date and time, and meaning of every signature.
            var signatures = audit["signatures"]!.AsArray();
            signatures.Count.ShouldBe(6);
            foreach (var signature in signatures)
            {
                text.ShouldContain(signature!["printedName"]!.GetValue<string>());
                text.ShouldContain(signature["signedAt"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            }
            var decision = audit["decisions"]!.AsArray().Single()!;
            text.ShouldContain(decision["printedName"]!.GetValue<string>());
            text.ShouldContain(decision["outcome"]!.GetValue<string>());
            text.ShouldContain(decision["reasoning"]!.GetValue<string>());
            text.ShouldContain(decision["decidedAt"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            text.ShouldContain("Dossier format ai4h.dossier/1"); // the cover names the shape the printed hash is over
            text.ShouldContain($"Decision: {decision["outcome"]!.GetValue<string>()}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task a_decision_whose_audit_changed_afterwards_says_so_first_in_its_trace()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var url = $"/api/submissions/{s.SubmissionId}/decision/trace";
        Whats(await (await s.Regulator.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK)).ShouldNotContain(w => w.StartsWith("after this decision", StringComparison.Ordinal));

        // The data auditor revises C1 after the decision: the audit reopens, the decision stays in force, and its trace says why it may no longer fit.
        await (await s.DataAuditor.Http.PostJson($"{s.AuditUrl}/items/C1/answers", new
        {
            answer = "NotMet", rationale = "Two reads were not recorded", evidence = new[] { new { kind = "Evaluation", id = s.EvaluationId } },
            reason = "Found unlogged reads",
        })).ShouldBe(HttpStatusCode.OK);
        var trace = await (await s.Regulator.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        Whats(trace).Skip(1).First().ShouldBe("after this decision: item C1 answered again: NotMet");
        Link(trace, "after this decision")["detail"]!.GetValue<string>().ShouldStartWith($"revision 2 by {s.DataAuditor.UserName} at ");
        Link(trace, "after this decision")["detail"]!.GetValue<string>().ShouldContain("reason: Found unlogged reads.");
        // A finding raised afterwards is listed too, in the order of the record.
        await (await s.AiMlAuditor.Http.PostJson($"{s.AuditUrl}/findings", new { itemId = "F1", severity = "Minor", text = "Say how PPV was chosen" }))
            .ShouldBe(HttpStatusCode.OK);
        trace = await (await s.Regulator.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        Whats(trace).Skip(1).Take(2).ShouldBe(["after this decision: item C1 answered again: NotMet", "after this decision: minor finding raised on item F1"]);
        Link(trace, "after this decision: minor finding")["detail"]!.GetValue<string>().ShouldEndWith(": Say how PPV was chosen");
        // What the decision itself signed still re-hashes: it was bound to the audit as it stood then.
        Link(trace, "decision: Approved")["storedBytesMatch"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task without_a_decision_there_is_nothing_to_trace()
    {
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40));
        await (await dev.Http.GetAsync($"/api/submissions/{submissionId}/decision/trace")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_verdict_traces_to_the_numbers_it_was_judged_on_and_through_the_test_data_to_the_annotation_campaign_behind_its_labels()
    {
        // The reference standard of 20 hold-out cases comes from two readers; they disagree on one case, which is adjudicated.
        var reference = await ReferenceStandardData.CreateAsync(Fixture, Steward);
        var (campaign, truth) = (reference.CampaignUrl, reference.Truth);
        var benchmark = await (await Steward.Http.PostJson("/api/benchmarks", reference.Benchmark()
            .With("confidenceInterval", new { method = "Bootstrap", level = 0.95, bootstrapReplicates = 200, seed = 7 })
            .With("acceptanceCriteria", new object[]
            {
                new { metric = "auroc", bound = "LowerBound", comparison = "AtLeast", threshold = 0.5 },
                new { metric = "sensitivity", bound = "Estimate", comparison = "AtLeast", threshold = 0.5, everySubgroupOf = "nuclear_size", minSubgroupCases = 5 },
            }))).ShouldBe(HttpStatusCode.Created);
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, benchmark["benchmarkId"]!.GetValue<Guid>());
        var url = await EvaluationTestData.RequestAsync(dev, submissionId);
        var evaluation = await EvaluationTestData.WaitFor(dev, url, EvaluationTestData.IsFinished);
        evaluation["status"]!.GetValue<string>().ShouldBe("Completed", evaluation.ToJsonString());
        var verdicts = evaluation["results"]!["verdicts"]!.AsArray();

        // Criterion 2 is judged per subgroup: its trace names each level's figure and case count, as the evaluation recorded them.
        var trace = await (await auditor.Http.GetAsync($"{url}/trace?criterion=2")).ShouldBe(HttpStatusCode.OK);
        trace["claim"]!.GetValue<string>().ShouldBe($"criterion 2 of evaluation {evaluation["id"]!.GetValue<Guid>()}");
        var verdict = trace["chain"]![0]!;
        verdict["what"]!.GetValue<string>().ShouldStartWith($"verdict: {(verdicts[1]!["passed"]!.GetValue<bool>() ? "passed" : "failed")}");
        foreach (var level in verdicts[1]!["levels"]!.AsArray())
            verdict["detail"]!.GetValue<string>().ShouldContain($"{level!["level"]!.GetValue<string>()} ({level["cases"]!.GetValue<int>()} cases): {level["judged"]!.GetValue<double>():R}");
        trace["chain"]![1]!["what"]!.GetValue<string>().ShouldStartWith($"sensitivity = {evaluation["results"]!["metrics"]!["sensitivity"]!["value"]!.GetValue<double>():R}");
        Whats(trace).ShouldContain("benchmark version defining the criterion");
        var standardLink = Link(trace, "reference standard");
        standardLink["detail"]!.GetValue<string>().ShouldContain($"{truth.Count} cases from {2 * truth.Count + 1} label and adjudication events");
        trace["chain"]!.AsArray().Where(l => l!["sha256"] is not null).ShouldAllBe(l => l!["storedBytesMatch"]!.GetValue<bool>());

        await (await auditor.Http.GetAsync($"{url}/trace?criterion=3")).ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await auditor.Http.GetAsync($"{url}/trace?criterion=1&metric=auroc")).ShouldBeProblem(HttpStatusCode.BadRequest);

        // The dossier carries the same provenance: the campaign, its readers, the adjudication and the agreement.
        var dossier = await (await auditor.Http.GetAsync($"/api/submissions/{submissionId}/dossier")).ShouldBe(HttpStatusCode.OK);
        var standard = dossier["referenceStandards"]!.AsArray().Single()!;
        (standard["name"]!.GetValue<string>(), standard["annotatedVersion"]!.GetValue<int>(), standard["referenceVersion"]!.GetValue<int>(),
            standard["cases"]!.GetValue<int>(), standard["annotators"]!.GetValue<int>(), standard["adjudications"]!.GetValue<int>())
            .ShouldBe(("Diagnosis reads", 1, 2, truth.Count, 2, 1));
        var campaignView = await (await auditor.Http.GetAsync(campaign)).ShouldBe(HttpStatusCode.OK);
        standard["agreement"]!["kappa"]!.GetValue<double>().ShouldBe(campaignView["agreement"]!["kappa"]!.GetValue<double>(), 1e-12);
        // The PDF shows it too.
        var pdf = await auditor.Http.GetAsync($"/api/submissions/{submissionId}/dossier/export?format=pdf");
        using var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        string.Concat(document.GetPages().Select(p => string.Concat(p.GetWords().Select(w => w.Text)))).ShouldContain("Diagnosisreads");
    }
}
