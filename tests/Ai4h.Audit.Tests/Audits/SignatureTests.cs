using System.Net;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Audits;

/// <summary>
/// Part 11 signatures on a real audit: re-authentication in the request, printed name, time and meaning shown, the
/// signature bound to the content and superseded (never deleted) by a correction; four eyes; open major findings
/// block; decisions only on a complete audit, superseded only by a new decision; "why was this approved?".
/// </summary>
public sealed class SignatureTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Password = "correct horse battery staple";
    private TestUser _lead = null!, _data = null!, _aiml = null!, _dev = null!, _regulator = null!;
    private Guid _submissionId, _datasetId;
    private string _url = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _lead = await Fixture.CreateUserInAsync("lead", "Notified Body", Role.AuditLead);
        _data = await Fixture.CreateUserInAsync("data.auditor", "Notified Body", Role.Auditor);
        _aiml = await Fixture.CreateUserInAsync("aiml.auditor", "Notified Body", Role.Auditor);
        _regulator = await Fixture.CreateUserInAsync("regulator", "Agency", Role.Regulator);
        _dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        foreach (var u in new[] { _lead, _data, _aiml, _regulator })
            await (await u.Http.PostJson("/api/users/me/password", new { newPassword = Password })).ShouldBe(HttpStatusCode.NoContent);

        var benchmarkId = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        _datasetId = (await (await Steward.Http.GetAsync($"/api/benchmarks/{benchmarkId}")).ShouldBe(HttpStatusCode.OK))["definition"]!["datasetId"]!.GetValue<Guid>();
        _submissionId = await EvaluationTestData.SubmitAsync(_dev, benchmarkId);
        var templateId = (await (await _lead.Http.PostAsync("/api/checklist-templates",
            new StringContent(AuditTests.SmallTemplate, System.Text.Encoding.UTF8, "application/json"))).ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        _url = (await (await _lead.Http.PostJson($"/api/submissions/{_submissionId}/audits", new { templateId })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await (await _lead.Http.PostJson($"{_url}/assignments", new { discipline = "Data", auditorId = _data.UserId })).ShouldBe(HttpStatusCode.OK);
        foreach (var discipline in new[] { "AiMl", "Clinical", "Ethics", "Regulatory" })
            await (await _lead.Http.PostJson($"{_url}/assignments", new { discipline, auditorId = _aiml.UserId })).ShouldBe(HttpStatusCode.OK);
    }

    private object Evidence() => new[] { new { kind = "DatasetVersion", id = _datasetId, version = 1 } };

    private async Task AnswerAllAsync()
    {
        await (await _data.Http.PostJson($"{_url}/items/C1/answers", new { answer = "Met", rationale = "Reads recorded", evidence = Evidence() })).ShouldBe(HttpStatusCode.OK);
        foreach (var item in new[] { "B1", "F1", "F2", "J1" })
            await (await _aiml.Http.PostJson($"{_url}/items/{item}/answers", new { answer = "Met", rationale = $"{item} checked", evidence = Evidence() }))
                .ShouldBe(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> SignAsync(TestUser signer, string item, string? password = Password, string meaning = "Reviewed") =>
        signer.Http.PostJson($"{_url}/items/{item}/signatures", new { userName = signer.UserName, password, meaning });

    private async Task SignAllAsync()
    {
        await (await SignAsync(_data, "C1")).ShouldBe(HttpStatusCode.OK);
        foreach (var item in new[] { "B1", "F1", "F2", "J1" }) await (await SignAsync(_aiml, item)).ShouldBe(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> SignOffAsync() =>
        _lead.Http.PostJson($"{_url}/signoff", new { userName = "lead", password = Password, meaning = "Approved" });

    private Task<HttpResponseMessage> DecideAsync(string outcome, Guid? supersedes = null) => _regulator.Http.PostJson($"{_url}/decisions", new
    {
        userName = "regulator", password = Password, outcome, reasoning = "Evidence reviewed", supersedes,
        evidence = new[] { new { kind = "Submission", id = _submissionId } },
    });

    [Fact]
    public async Task a_signature_needs_re_authentication_and_shows_printed_name_time_and_meaning_bound_to_what_was_signed()
    {
        await AnswerAllAsync();
        await (await SignAsync(_data, "C1", password: "wrong password here")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await (await SignAsync(_aiml, "C1")).ShouldBeProblem(HttpStatusCode.Forbidden))["rule"]!.GetValue<string>().ShouldBe("only the auditor assigned to Data signs item C1");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await (await SignAsync(_data, "C1", meaning: "Approved")).ShouldBe(HttpStatusCode.OK);
        await (await SignAsync(_data, "C1")).ShouldBeProblem(HttpStatusCode.Conflict); // that revision is signed already

        var audit = await (await _regulator.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        var signature = audit["signatures"]!.AsArray().Single()!;
        (signature["printedName"]!.GetValue<string>(), signature["meaning"]!.GetValue<string>(), signature["itemId"]!.GetValue<string>(), signature["revision"]!.GetValue<int>())
            .ShouldBe(("DATA.AUDITOR", "Approved", "C1", 1));
        signature["signedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(before);
        signature["contentSha256"]!.GetValue<string>().Length.ShouldBe(64);

        // A correction supersedes the signature visibly; it is never deleted, and the new revision can be signed again.
        await (await _data.Http.PostJson($"{_url}/items/C1/answers", new { answer = "NotMet", rationale = "Unlogged reads", evidence = Evidence(), reason = "Correction" }))
            .ShouldBe(HttpStatusCode.OK);
        var corrected = await (await _regulator.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        corrected["signatures"]![0]!["superseded"]!.GetValue<bool>().ShouldBeTrue();
        await (await SignAsync(_data, "C1")).ShouldBe(HttpStatusCode.OK);
        var signatures = (await (await _regulator.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK))["signatures"]!.AsArray();
        signatures.Select(s => (s!["revision"]!.GetValue<int>(), s["superseded"]!.GetValue<bool>())).ShouldBe([(1, true), (2, false)]);
        signatures[0]!["contentSha256"]!.GetValue<string>().ShouldNotBe(signatures[1]!["contentSha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_open_major_finding_blocks_signing_and_the_checklist_needs_every_signature_before_sign_off()
    {
        await AnswerAllAsync();
        await (await _aiml.Http.PostJson($"{_url}/findings", new { itemId = "F1", severity = "Major", text = "PPV interval missing" })).ShouldBe(HttpStatusCode.OK);
        (await (await SignAsync(_aiml, "F1")).ShouldBeProblem(HttpStatusCode.Conflict))["detail"]!.GetValue<string>().ShouldContain("open major finding");

        var early = await (await SignOffAsync()).ShouldBeProblem(HttpStatusCode.Conflict);
        early["detail"]!.GetValue<string>().ShouldContain("items not signed on their current answer: B1, C1, F1, F2, J1");
        var undecidable = await (await DecideAsync("Approved")).ShouldBeProblem(HttpStatusCode.Conflict);
        undecidable["detail"]!.GetValue<string>().ShouldContain("open major findings");

        var findingId = (await (await _lead.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK))["findings"]![0]!["id"]!.GetValue<Guid>();
        await (await _aiml.Http.PostJson($"{_url}/findings/{findingId}/closure", new { resolution = "Interval added" })).ShouldBe(HttpStatusCode.OK);
        await SignAllAsync();
        await (await _data.Http.PostJson($"{_url}/signoff", new { userName = "data.auditor", password = Password, meaning = "Approved" }))
            .ShouldBeProblem(HttpStatusCode.Forbidden); // only the lead signs off
        var signed = await (await SignOffAsync()).ShouldBe(HttpStatusCode.OK);
        signed["version"]!.GetValue<long>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task a_regulator_decides_on_a_complete_audit_supersedes_only_with_a_new_decision_and_anyone_entitled_can_ask_why()
    {
        await AnswerAllAsync();
        await SignAllAsync();
        await (await SignOffAsync()).ShouldBe(HttpStatusCode.OK);
        await (await DecideAsync("Approved")).ShouldBe(HttpStatusCode.OK);
        await (await DecideAsync("Rejected")).ShouldBeProblem(HttpStatusCode.Conflict); // must name the decision it supersedes

        var lineage = (await (await _dev.Http.GetAsync($"/api/submissions/{_submissionId}/lineage")).ShouldBe(HttpStatusCode.OK)).AsArray();
        (lineage[0]!["audit"]!["stage"]!.GetValue<string>(), lineage[0]!["audit"]!["decision"]!.GetValue<string>()).ShouldBe(("signed off", "Approved"));

        var why = await (await _dev.Http.GetAsync($"/api/submissions/{_submissionId}/why")).ShouldBe(HttpStatusCode.OK);
        why["decision"]!["outcome"]!.GetValue<string>().ShouldBe("Approved");
        why["decision"]!["printedName"]!.GetValue<string>().ShouldBe("REGULATOR");
        why["signatures"]!.AsArray().Count.ShouldBe(6); // five items and the lead's sign-off
        why["signatures"]!.AsArray().Select(s => s!["printedName"]!.GetValue<string>()).Distinct().Order().ShouldBe(["AIML.AUDITOR", "DATA.AUDITOR", "LEAD"]);
        why["answers"]!.AsObject().Count.ShouldBe(5);
        why["missing"]!.AsArray().ShouldBeEmpty();

        var decisionId = why["decision"]!["id"]!.GetValue<Guid>();
        await (await DecideAsync("Withdrawn", decisionId)).ShouldBe(HttpStatusCode.OK);
        var after = await (await _regulator.Http.GetAsync($"/api/submissions/{_submissionId}/why")).ShouldBe(HttpStatusCode.OK);
        after["decision"]!["outcome"]!.GetValue<string>().ShouldBe("Withdrawn");
        after["decisions"]!.AsArray().Select(d => (d!["outcome"]!.GetValue<string>(), d["supersededByLater"]!.GetValue<bool>()))
            .ShouldBe([("Approved", true), ("Withdrawn", false)]);
    }

    [Fact]
    public async Task a_correction_after_a_decision_reopens_the_audit_yet_the_decision_can_still_be_withdrawn()
    {
        await AnswerAllAsync();
        await SignAllAsync();
        await (await SignOffAsync()).ShouldBe(HttpStatusCode.OK);
        await (await DecideAsync("Approved")).ShouldBe(HttpStatusCode.OK);
        await (await _data.Http.PostJson($"{_url}/items/C1/answers", new { answer = "NotMet", rationale = "Unlogged reads", evidence = Evidence(), reason = "Found after approval" }))
            .ShouldBe(HttpStatusCode.OK);

        var why = await (await _regulator.Http.GetAsync($"/api/submissions/{_submissionId}/why")).ShouldBe(HttpStatusCode.OK);
        why["missing"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain(m => m.Contains("C1"));
        var decisionId = why["decision"]!["id"]!.GetValue<Guid>();
        await (await DecideAsync("Rejected", decisionId)).ShouldBeProblem(HttpStatusCode.Conflict); // a new verdict needs a complete audit
        await (await DecideAsync("Withdrawn", decisionId)).ShouldBe(HttpStatusCode.OK);             // a withdrawal does not
    }

    [Fact]
    public async Task two_signing_requests_at_the_same_moment_never_both_win()
    {
        await AnswerAllAsync();
        var responses = await Task.WhenAll(SignAsync(_data, "C1"), SignAsync(_data, "C1"));
        responses.Select(r => (int)r.StatusCode).Order().ShouldBe([200, 409]);
        var audit = await (await _lead.Http.GetAsync(_url)).ShouldBe(HttpStatusCode.OK);
        audit["signatures"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_regulator_who_took_part_in_the_audit_cannot_decide_on_it()
    {
        var both = await Fixture.CreateUserInAsync("lead.regulator", "Agency", Role.AuditLead, Role.Regulator);
        await (await both.Http.PostJson("/api/users/me/password", new { newPassword = Password })).ShouldBe(HttpStatusCode.NoContent);
        var other = await EvaluationTestData.SubmitAsync(_dev, (await (await Steward.Http.GetAsync("/api/benchmarks")).ShouldBe(HttpStatusCode.OK))[0]!["id"]!.GetValue<Guid>(), modelVersion: "2.0.0");
        var templateId = (await (await both.Http.GetAsync("/api/checklist-templates")).ShouldBe(HttpStatusCode.OK))[0]!["id"]!.GetValue<Guid>();
        var url = (await (await both.Http.PostJson($"/api/submissions/{other}/audits", new { templateId })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();

        var refused = await (await both.Http.PostJson($"{url}/decisions", new { userName = "lead.regulator", password = Password, outcome = "Approved", reasoning = "mine" }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        refused["rule"]!.GetValue<string>().ShouldBe("a regulator who took part in the audit cannot decide on it");
    }
}
