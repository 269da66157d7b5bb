using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Audits;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>
/// A submission taken all the way through the HTTP API: evaluated on the WDBC hold-out benchmark, audited on the small
/// template (every item answered with the evaluation as evidence and signed), signed off, and approved by a regulator.
/// </summary>
public sealed class AuditedSubmission
{
    public const string Password = "correct horse battery staple";

    public required TestUser Lead, DataAuditor, AiMlAuditor, Regulator, Developer;
    public required Guid BenchmarkId, SubmissionId, EvaluationId, AuditId;
    public required string EvaluationUrl, AuditUrl;
    public static readonly string[] AiMlItems = ["B1", "F1", "F2", "J1"];

    public static async Task<AuditedSubmission> CreateAsync(ApiFixture fixture, TestUser steward, Guid? benchmarkId = null)
    {
        var lead = await fixture.CreateUserInAsync("lead", "Notified Body", Role.AuditLead);
        var data = await fixture.CreateUserInAsync("data.auditor", "Notified Body", Role.Auditor);
        var aiml = await fixture.CreateUserInAsync("aiml.auditor", "Notified Body", Role.Auditor);
        var regulator = await fixture.CreateUserInAsync("regulator", "Agency", Role.Regulator);
        var dev = await fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        foreach (var u in new[] { lead, data, aiml, regulator })
            await (await u.Http.PostJson("/api/users/me/password", new { newPassword = Password })).ShouldBe(HttpStatusCode.NoContent);

        var benchmark = benchmarkId ?? await EvaluationTestData.DefineHoldOutBenchmark(steward, cases: 40);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, benchmark);
        var evaluationUrl = await EvaluationTestData.RequestAsync(dev, submissionId);
        var evaluation = await EvaluationTestData.WaitFor(dev, evaluationUrl, EvaluationTestData.IsFinished);
        evaluation["status"]!.GetValue<string>().ShouldBe("Completed", evaluation.ToJsonString());
        var evaluationId = evaluation["id"]!.GetValue<Guid>();

        var templateId = (await (await lead.Http.PostAsync("/api/checklist-templates", new StringContent(AuditTests.SmallTemplate, Encoding.UTF8, "application/json")))
            .ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var auditUrl = (await (await lead.Http.PostJson($"/api/submissions/{submissionId}/audits", new { templateId })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await (await lead.Http.PostJson($"{auditUrl}/assignments", new { discipline = "Data", auditorId = data.UserId })).ShouldBe(HttpStatusCode.OK);
        foreach (var discipline in new[] { "AiMl", "Clinical", "Ethics", "Regulatory" })
            await (await lead.Http.PostJson($"{auditUrl}/assignments", new { discipline, auditorId = aiml.UserId })).ShouldBe(HttpStatusCode.OK);

        var evidence = new[] { new { kind = "Evaluation", id = evaluationId } };
        await (await data.Http.PostJson($"{auditUrl}/items/C1/answers", new { answer = "Met", rationale = "Every read of the test data is recorded", evidence })).ShouldBe(HttpStatusCode.OK);
        foreach (var item in AiMlItems)
            await (await aiml.Http.PostJson($"{auditUrl}/items/{item}/answers", new { answer = "Met", rationale = $"{item} checked", evidence })).ShouldBe(HttpStatusCode.OK);
        await (await data.Http.PostJson($"{auditUrl}/items/C1/signatures", new { userName = data.UserName, password = Password, meaning = "Reviewed" })).ShouldBe(HttpStatusCode.OK);
        foreach (var item in AiMlItems)
            await (await aiml.Http.PostJson($"{auditUrl}/items/{item}/signatures", new { userName = aiml.UserName, password = Password, meaning = "Reviewed" }))
                .ShouldBe(HttpStatusCode.OK);
        await (await lead.Http.PostJson($"{auditUrl}/signoff", new { userName = lead.UserName, password = Password, meaning = "Approved" })).ShouldBe(HttpStatusCode.OK);
        await (await regulator.Http.PostJson($"{auditUrl}/decisions", new
        {
            userName = regulator.UserName, password = Password, outcome = "Approved", reasoning = "The evaluation and the audit support approval", evidence,
        })).ShouldBe(HttpStatusCode.OK);

        return new AuditedSubmission
        {
            Lead = lead, DataAuditor = data, AiMlAuditor = aiml, Regulator = regulator, Developer = dev,
            BenchmarkId = benchmark, SubmissionId = submissionId, EvaluationId = evaluationId, AuditId = Guid.Parse(auditUrl.Split('/')[^1]),
            EvaluationUrl = evaluationUrl, AuditUrl = auditUrl,
        };
    }

    /// <summary>The audit's events as its history lists them (type, event id, data).</summary>
    public async Task<JsonArray> AuditHistoryAsync() => (await (await Lead.Http.GetAsync($"{AuditUrl}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
}
