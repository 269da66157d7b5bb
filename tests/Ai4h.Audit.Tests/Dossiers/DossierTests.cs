using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Audits;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>The dossier is built from the events, now or as of an earlier point; a later correction never changes an earlier view.</summary>
public sealed class DossierTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task the_dossier_as_of_an_earlier_sequence_is_rebuilt_from_the_events_and_a_later_correction_does_not_change_it()
    {
        var lead = await Fixture.CreateUserInAsync("lead", "Notified Body", Role.AuditLead);
        var data = await Fixture.CreateUserInAsync("data.auditor", "Notified Body", Role.Auditor);
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var rival = await Fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        var benchmarkId = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, benchmarkId);
        await EvaluationTestData.WaitFor(dev, await EvaluationTestData.RequestAsync(dev, submissionId), EvaluationTestData.IsFinished);
        var templateId = (await (await lead.Http.PostAsync("/api/checklist-templates", new StringContent(AuditTests.SmallTemplate, Encoding.UTF8, "application/json")))
            .ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var url = (await (await lead.Http.PostJson($"/api/submissions/{submissionId}/audits", new { templateId })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await (await lead.Http.PostJson($"{url}/assignments", new { discipline = "Data", auditorId = data.UserId })).ShouldBe(HttpStatusCode.OK);
        var datasetId = (await (await Steward.Http.GetAsync($"/api/benchmarks/{benchmarkId}")).ShouldBe(HttpStatusCode.OK))["definition"]!["datasetId"]!.GetValue<Guid>();
        var evidence = new[] { new { kind = "DatasetVersion", id = datasetId, version = 1 } };
        // The Runner's verdict on the uploaded test data is part of the dossier: let it arrive, so the record is quiet.
        await EvaluationTestData.WaitFor(Steward, $"/api/datasets/{datasetId}/versions/1", v => v["verification"]!.GetValue<string>() != "Pending");
        await (await data.Http.PostJson($"{url}/items/C1/answers", new { answer = "Met", rationale = "First look", evidence })).ShouldBe(HttpStatusCode.OK);

        var dossierUrl = $"/api/submissions/{submissionId}/dossier";
        var then = await (await lead.Http.GetAsync(dossierUrl)).ShouldBe(HttpStatusCode.OK);
        var seen = then["reflectsSequence"]!.GetValue<long>();
        then["evaluations"]!.AsArray().Single()!["status"]!.GetValue<string>().ShouldBe("Completed");
        then["events"]!.AsArray().Select(e => e!["sequence"]!.GetValue<long>()).ShouldBeInOrder();

        await (await data.Http.PostJson($"{url}/items/C1/answers", new { answer = "NotMet", rationale = "Second look", evidence, reason = "Correction" })).ShouldBe(HttpStatusCode.OK);

        var now = await (await lead.Http.GetAsync(dossierUrl)).ShouldBe(HttpStatusCode.OK);
        now["audit"]!["answers"]!["C1"]!["revision"]!.GetValue<int>().ShouldBe(2);
        var asOf = await (await lead.Http.GetAsync($"{dossierUrl}?asOfSequence={seen}")).ShouldBe(HttpStatusCode.OK);
        asOf["audit"]!["answers"]!["C1"]!["revision"]!.GetValue<int>().ShouldBe(1);
        asOf["audit"]!["answers"]!["C1"]!["answer"]!.GetValue<string>().ShouldBe("Met");
        // Rebuilding from the same events gives the same dossier, byte for byte (its hash); the current one differs.
        asOf["contentSha256"]!.GetValue<string>().ShouldBe(then["contentSha256"]!.GetValue<string>());
        asOf.ToJsonString().ShouldBe(then.ToJsonString());
        now["contentSha256"]!.GetValue<string>().ShouldNotBe(then["contentSha256"]!.GetValue<string>());

        // The JSON twin is the same dossier; exporting it is recorded, and does not change the dossier.
        var exported = await lead.Http.GetAsync($"{dossierUrl}/export?format=json&purpose=Regulatory%20review");
        exported.StatusCode.ShouldBe(HttpStatusCode.OK);
        var file = System.Text.Json.Nodes.JsonNode.Parse(await exported.Content.ReadAsStringAsync())!;
        file["contentSha256"]!.GetValue<string>().ShouldBe(now["contentSha256"]!.GetValue<string>());
        var history = (await (await lead.Http.GetAsync($"/api/submissions/{submissionId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var export = history.Single(e => e!["type"]!.GetValue<string>() == "dossier_exported")!;
        (export["actor"]!.GetValue<string>(), export["data"]!["format"]!.GetValue<string>(), export["data"]!["contentSha256"]!.GetValue<string>())
            .ShouldBe(("lead", "json", now["contentSha256"]!.GetValue<string>()));
        (await (await lead.Http.GetAsync(dossierUrl)).ShouldBe(HttpStatusCode.OK))["contentSha256"]!.GetValue<string>().ShouldBe(now["contentSha256"]!.GetValue<string>());

        // The PDF shows what the API returns: the metric values, the answers, the hash on every page; its export is recorded too.
        var pdf = await lead.Http.GetAsync($"{dossierUrl}/export?format=pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        using (var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            var pages = document.GetPages().Select(page => string.Concat(page.GetWords().Select(w => w.Text))).ToList();
            pages.ShouldAllBe(page => page.Contains(now["contentSha256"]!.GetValue<string>()));
            var all = string.Concat(pages);
            var auroc = now["evaluations"]![0]!["results"]!["metrics"]!["auroc"]!["value"]!.GetValue<double>();
            all.ShouldContain(auroc.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
            all.ShouldContain("Secondlook");
            document.Information.Title.ShouldBe("Audit dossier: WDBC logistic regression 1.0.0");
        }
        // The same file through the tools a regulator's office would use: qpdf finds it well formed, pdftotext reads the numbers.
        var pdfFile = Path.Combine(Path.GetTempPath(), $"dossier-{Guid.NewGuid():N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(pdfFile, await pdf.Content.ReadAsByteArrayAsync());
            var (checkExit, checkOutput) = await Programs.RunAsync("qpdf", "--check", pdfFile);
            checkExit.ShouldBe(0, checkOutput);
            var (textExit, text) = await Programs.RunAsync("pdftotext", "-layout", pdfFile, "-");
            textExit.ShouldBe(0, text);
            text.ShouldContain("Second look");
            text.ShouldContain($"Dossier SHA-256 {now["contentSha256"]!.GetValue<string>()}");
        }
        finally
        {
            File.Delete(pdfFile);
        }
        (await (await lead.Http.GetAsync($"/api/submissions/{submissionId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray()
            .Count(e => e!["type"]!.GetValue<string>() == "dossier_exported").ShouldBe(2);
        await (await lead.Http.GetAsync($"{dossierUrl}/export?format=docx")).ShouldBeProblem(HttpStatusCode.BadRequest);

        await (await rival.Http.GetAsync(dossierUrl)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await lead.Http.GetAsync($"{dossierUrl}?asOfSequence=0")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_metric_traces_back_to_its_events_and_artefacts_each_re_hashed_against_the_stored_bytes()
    {
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        var auditor = await Fixture.CreateUserAsync("auditor", Role.Auditor);
        var benchmarkId = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        var url = await EvaluationTestData.RequestAsync(dev, await EvaluationTestData.SubmitAsync(dev, benchmarkId));
        var evaluation = await EvaluationTestData.WaitFor(dev, url, EvaluationTestData.IsFinished);

        var trace = await (await auditor.Http.GetAsync($"{url}/trace?metric=sensitivity")).ShouldBe(HttpStatusCode.OK);
        var chain = trace["chain"]!.AsArray();
        chain.Select(l => l!["what"]!.GetValue<string>()).Skip(1).ShouldBe(["per-case predictions", "evaluation requested", "model", "benchmark version", "test data"]);
        chain[0]!["what"]!.GetValue<string>().ShouldStartWith($"sensitivity = {evaluation["results"]!["metrics"]!["sensitivity"]!["value"]!.GetValue<double>():R}");
        chain.Where(l => l!["sha256"] is not null).ShouldAllBe(l => l!["storedBytesMatch"]!.GetValue<bool>());
        chain.ShouldAllBe(l => l!["sequence"]!.GetValue<long>() > 0);

        // A database administrator alters the stored predictions: the trace shows it at once.
        var predictions = evaluation["provenance"]!["predictionsSha256"]!.GetValue<string>();
        (await Fixture.ScalarAsync($"with altered as (update ai4h.blobs set content = content || '\\x00'::bytea where sha256 = '{predictions}' returning 1) select count(*) from altered"))
            .ShouldBe(1);
        var tampered = await (await auditor.Http.GetAsync($"{url}/trace?metric=sensitivity")).ShouldBe(HttpStatusCode.OK);
        tampered["chain"]![1]!["storedBytesMatch"]!.GetValue<bool>().ShouldBeFalse();
        await (await auditor.Http.GetAsync($"{url}/trace?metric=nonsense")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}
