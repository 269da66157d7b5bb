using System.Net;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Audits;

/// <summary>
/// Working an audit through HTTP on real PostgreSQL: templates as versioned data, the lead's assignments, answers with
/// evidence that must exist, revisions with reasons, findings and their answers, separation of duties (each refusal a
/// 403 naming the rule and recorded), and stale versions refused with 409.
/// </summary>
public sealed class AuditTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>A small template with one item per discipline; C1 needs evidence.</summary>
    internal const string SmallTemplate = """
        {"key": "small-test", "version": 1, "name": "Small test checklist", "description": "Five items, one per discipline",
         "sources": ["Test source"],
         "sections": [{"id": "B", "title": "Intended use"}, {"id": "C", "title": "Data"}, {"id": "F", "title": "Evaluation"}, {"id": "J", "title": "Sign-off"}],
         "items": [
           {"id": "B1", "section": "B", "text": "The intended use is stated.", "discipline": "Clinical", "evidenceRequired": false, "sources": ["Test source"]},
           {"id": "C1", "section": "C", "text": "The test data are sequestered.", "discipline": "Data", "evidenceRequired": true, "sources": ["Test source"]},
           {"id": "F1", "section": "F", "text": "Metrics have confidence intervals.", "discipline": "AiMl", "evidenceRequired": true, "sources": ["Test source"]},
           {"id": "F2", "section": "F", "text": "Ethics review of subgroup results.", "discipline": "Ethics", "evidenceRequired": false, "sources": ["Test source"]},
           {"id": "J1", "section": "J", "text": "The record is complete.", "discipline": "Regulatory", "evidenceRequired": false, "sources": ["Test source"]}
         ]}
        """;

    private TestUser _lead = null!, _data = null!, _aiml = null!, _dev = null!, _rival = null!;
    private Guid _submissionId, _templateId, _datasetId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _lead = await Fixture.CreateUserInAsync("lead", "Notified Body", Role.AuditLead);
        _data = await Fixture.CreateUserInAsync("data.auditor", "Notified Body", Role.Auditor);
        _aiml = await Fixture.CreateUserInAsync("aiml.auditor", "Notified Body", Role.Auditor);
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        _rival = await Fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        var benchmarkId = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        _datasetId = (await (await Steward.Http.GetAsync($"/api/benchmarks/{benchmarkId}")).ShouldBe(HttpStatusCode.OK))["definition"]!["datasetId"]!.GetValue<Guid>();
        _submissionId = await EvaluationTestData.SubmitAsync(_dev, benchmarkId);
        _templateId = await PublishAsync(SmallTemplate);
    }

    private async Task<Guid> PublishAsync(string template)
    {
        var response = await _lead.Http.PostAsync("/api/checklist-templates?reason=test", new StringContent(template, System.Text.Encoding.UTF8, "application/json"));
        return (await response.ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
    }

    private async Task<string> OpenAsync()
    {
        var opened = await (await _lead.Http.PostJson($"/api/submissions/{_submissionId}/audits", new { templateId = _templateId, reason = "Pre-market audit" }))
            .ShouldBe(HttpStatusCode.Created);
        var url = opened["url"]!.GetValue<string>();
        await (await _lead.Http.PostJson($"{url}/assignments", new { discipline = "Data", auditorId = _data.UserId })).ShouldBe(HttpStatusCode.OK);
        await (await _lead.Http.PostJson($"{url}/assignments", new { discipline = "AiMl", auditorId = _aiml.UserId })).ShouldBe(HttpStatusCode.OK);
        return url;
    }

    private object DatasetEvidence() => new[] { new { kind = "DatasetVersion", id = _datasetId, version = 1 } };

    [Fact]
    public async Task templates_are_versioned_data_and_a_bad_one_is_refused_field_by_field()
    {
        var template = await (await _lead.Http.GetAsync($"/api/checklist-templates/{_templateId}")).ShouldBe(HttpStatusCode.OK);
        template["template"]!["items"]!.AsArray().Count.ShouldBe(5);
        template["contentSha256"]!.GetValue<string>().Length.ShouldBe(64);

        // The same key and version again: the database refuses the second.
        await (await _lead.Http.PostAsync("/api/checklist-templates", new StringContent(SmallTemplate, System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        var bad = JsonNode.Parse(SmallTemplate)!.AsObject();
        bad["version"] = 2;
        bad["items"]![1]!["section"] = "Z";
        var refused = await (await _lead.Http.PostAsync("/api/checklist-templates", new StringContent(bad.ToJsonString(), System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        refused["errors"]!.AsObject().Select(kv => kv.Key).ShouldContain("items[1].section");
        await (await _dev.Http.PostAsync("/api/checklist-templates", new StringContent(SmallTemplate))).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task auditors_answer_their_disciplines_items_with_existing_evidence_and_revise_with_a_reason()
    {
        var url = await OpenAsync();

        var missing = await (await _data.Http.PostJson($"{url}/items/C1/answers", new { answer = "Met", rationale = "Sequestered" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        missing["errors"]!["evidence"].ShouldNotBeNull();
        var ghost = await (await _data.Http.PostJson($"{url}/items/C1/answers",
            new { answer = "Met", rationale = "Sequestered", evidence = new[] { new { kind = "Evaluation", id = Guid.NewGuid() } } })).ShouldBeProblem(HttpStatusCode.BadRequest);
        ghost["errors"]!["evidence[0]"].ShouldNotBeNull();

        var answered = await (await _data.Http.PostJson($"{url}/items/C1/answers", new { answer = "Met", rationale = "Reads are recorded", evidence = DatasetEvidence() }))
            .ShouldBe(HttpStatusCode.OK);

        // Another discipline's auditor may not answer it: 403 naming the rule, recorded on their account.
        var refused = await (await _aiml.Http.PostJson($"{url}/items/C1/answers", new { answer = "NotMet", rationale = "x", evidence = DatasetEvidence() }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        refused["rule"]!.GetValue<string>().ShouldBe("only the auditor assigned to Data answers item C1");

        await (await _data.Http.PostJson($"{url}/items/C1/answers", new { answer = "NotMet", rationale = "Reads unrecorded", evidence = DatasetEvidence() }))
            .ShouldBeProblem(HttpStatusCode.BadRequest); // a change needs its reason
        await (await _data.Http.PostJson($"{url}/items/C1/answers",
            new { answer = "NotMet", rationale = "Two reads were not recorded", evidence = DatasetEvidence(), reason = "Found unlogged reads",
                  expectedVersion = answered["version"]!.GetValue<long>() })).ShouldBe(HttpStatusCode.OK);

        var audit = await (await _lead.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        audit["answers"]!["C1"]!["revision"]!.GetValue<int>().ShouldBe(2);
        audit["answers"]!["C1"]!["answer"]!.GetValue<string>().ShouldBe("NotMet");
        var history = (await (await _lead.Http.GetAsync($"{url}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var answers = history.Where(e => e!["type"]!.GetValue<string>() == "item_answered").ToList();
        answers.Count.ShouldBe(2); // the first answer stays on record
        answers[1]!["reason"]!.GetValue<string>().ShouldBe("Found unlogged reads");
    }

    [Fact]
    public async Task an_audit_keeps_the_template_version_it_was_opened_with()
    {
        var url = await OpenAsync();
        var pinned = (await (await _lead.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["templateSha256"]!.GetValue<string>();
        var v2 = JsonNode.Parse(SmallTemplate)!.AsObject();
        v2["version"] = 2;
        v2["items"]!.AsArray().Add(JsonNode.Parse("""{"id": "C2", "section": "C", "text": "New in v2.", "discipline": "Data", "evidenceRequired": false, "sources": ["Test source"]}"""));
        await PublishAsync(v2.ToJsonString());

        var audit = await (await _lead.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        (audit["templateVersion"]!.GetValue<int>(), audit["templateSha256"]!.GetValue<string>()).ShouldBe((1, pinned));
        await (await _data.Http.PostJson($"{url}/items/C2/answers", new { answer = "Met", rationale = "v2 only" })).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_stale_expected_version_is_409_and_changes_nothing()
    {
        var url = await OpenAsync();
        var first = await (await _data.Http.PostJson($"{url}/items/C1/answers", new { answer = "Met", rationale = "ok", evidence = DatasetEvidence(), expectedVersion = 3 }))
            .ShouldBe(HttpStatusCode.OK);
        first["version"]!.GetValue<long>().ShouldBe(4);
        await (await _aiml.Http.PostJson($"{url}/items/F1/answers", new { answer = "Met", rationale = "CIs given", evidence = DatasetEvidence(), expectedVersion = 3 }))
            .ShouldBeProblem(HttpStatusCode.Conflict);
        var audit = await (await _lead.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        audit["answers"]!.AsObject().Select(kv => kv.Key).ShouldBe(["C1"]);
    }

    [Fact]
    public async Task findings_are_raised_by_auditors_answered_by_the_developer_and_closed_by_their_raiser()
    {
        var url = await OpenAsync();
        await (await _aiml.Http.PostJson($"{url}/findings", new { itemId = "F1", severity = "Major", text = "No interval for PPV" })).ShouldBe(HttpStatusCode.OK);
        var findingId = (await (await _lead.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["findings"]![0]!["id"]!.GetValue<Guid>();

        await (await _rival.Http.PostJson($"{url}/findings/{findingId}/responses", new { response = "not mine" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _dev.Http.PostJson($"{url}/findings/{findingId}/responses", new { response = "Interval added in v1.0.1" })).ShouldBe(HttpStatusCode.OK);
        await (await _data.Http.PostJson($"{url}/findings/{findingId}/closure", new { resolution = "ok" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _aiml.Http.PostJson($"{url}/findings/{findingId}/closure", new { resolution = "Checked in the new evaluation" })).ShouldBe(HttpStatusCode.OK);
        await (await _aiml.Http.PostJson($"{url}/findings/{findingId}/closure", new { resolution = "again" })).ShouldBeProblem(HttpStatusCode.Conflict);

        var finding = (await (await _dev.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["findings"]![0]!;
        (finding["response"]!.GetValue<string>(), finding["resolution"]!.GetValue<string>(), finding["isOpen"]!.GetValue<bool>())
            .ShouldBe(("Interval added in v1.0.1", "Checked in the new evaluation", false));
        await (await _rival.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task separation_of_duties_refusals_name_the_rule_and_are_recorded()
    {
        var insider = await Fixture.CreateUserInAsync("insider", "Ai4h.Audit demo", Role.Auditor, Role.AuditLead); // the developer's organisation
        var before = await RefusalsAsync();

        var ownOrg = await (await insider.Http.PostJson($"/api/submissions/{_submissionId}/audits", new { templateId = _templateId }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        ownOrg["rule"]!.GetValue<string>().ShouldBe("the audit lead cannot belong to the developer's organisation (Ai4h.Audit demo)");

        var url = await OpenAsync();
        (await (await _lead.Http.PostJson($"{url}/assignments", new { discipline = "Clinical", auditorId = insider.UserId })).ShouldBeProblem(HttpStatusCode.Forbidden))
            ["rule"]!.GetValue<string>().ShouldBe("an auditor cannot belong to the developer's organisation (Ai4h.Audit demo)");
        var both = await Fixture.CreateUserInAsync("both", "Agency", Role.Auditor, Role.Regulator);
        (await (await _lead.Http.PostJson($"{url}/assignments", new { discipline = "Clinical", auditorId = both.UserId })).ShouldBeProblem(HttpStatusCode.Forbidden))
            ["rule"]!.GetValue<string>().ShouldContain("a regulator cannot be an auditor");
        var notLead = await Fixture.CreateUserInAsync("other.lead", "Notified Body", Role.AuditLead);
        (await (await notLead.Http.PostJson($"{url}/assignments", new { discipline = "Clinical", auditorId = _aiml.UserId })).ShouldBeProblem(HttpStatusCode.Forbidden))
            ["rule"]!.GetValue<string>().ShouldBe("only the audit's lead assigns auditors");

        (await RefusalsAsync()).ShouldBe(before + 4);
        await (await _lead.Http.PostJson($"/api/submissions/{_submissionId}/audits", new { templateId = _templateId })).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    private Task<long> RefusalsAsync() => Fixture.ScalarAsync("select count(*) from ai4h.mt_events where type = 'access_refused'");
}
