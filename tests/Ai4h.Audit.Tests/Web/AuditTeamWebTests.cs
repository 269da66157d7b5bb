using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Audits;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Ai4h.Audit.Tests.Web;

/// <summary>An auditor's journey in a real browser: find the audit, answer with evidence, sign in the dialog (a wrong password first).</summary>
public sealed class AuditTeamWebTests(ApiFixture fixture) : WebTest(fixture)
{
    [Fact]
    public async Task an_auditor_answers_with_evidence_and_signs_in_the_dialog_after_a_refused_password()
    {
        const string password = AuditedSubmission.Password;
        var lead = await Fixture.CreateUserInAsync("lead", "Notified Body", Role.AuditLead);
        var data = await Fixture.CreateUserInAsync("data.auditor", "Notified Body", Role.Auditor);
        var aiml = await Fixture.CreateUserInAsync("aiml.auditor", "Notified Body", Role.Auditor);
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        foreach (var u in new[] { lead, data, aiml })
            await (await u.Http.PostJson("/api/users/me/password", new { newPassword = password })).ShouldBe(HttpStatusCode.NoContent);
        var benchmark = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, benchmark);
        var evaluation = await EvaluationTestData.WaitFor(dev, await EvaluationTestData.RequestAsync(dev, submissionId), EvaluationTestData.IsFinished);
        var templateId = (await (await lead.Http.PostAsync("/api/checklist-templates", new StringContent(AuditTests.SmallTemplate, Encoding.UTF8, "application/json")))
            .ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var auditUrl = (await (await lead.Http.PostJson($"/api/submissions/{submissionId}/audits", new { templateId })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await (await lead.Http.PostJson($"{auditUrl}/assignments", new { discipline = "Data", auditorId = data.UserId })).ShouldBe(HttpStatusCode.OK);
        foreach (var discipline in new[] { "AiMl", "Clinical", "Ethics", "Regulatory" })
            await (await lead.Http.PostJson($"{auditUrl}/assignments", new { discipline, auditorId = aiml.UserId })).ShouldBe(HttpStatusCode.OK);
        // Another auditor has already answered and signed an item through the Api.
        await (await aiml.Http.PostJson($"{auditUrl}/items/B1/answers", new { answer = "Met", rationale = "Stated in the manifest" })).ShouldBe(HttpStatusCode.OK);
        await (await aiml.Http.PostJson($"{auditUrl}/items/B1/signatures", new { userName = aiml.UserName, password, meaning = "Reviewed" })).ShouldBe(HttpStatusCode.OK);

        var page = await Web.NewPageAsync();
        await WebApp.SignInAsync(page, data.UserName, password);
        await page.GotoAsync("/audits");
        await page.GetByTestId("audits").GetByRole(AriaRole.Link).ClickAsync();

        // The Api's refusal is shown next to the field it names: C1 needs evidence.
        var item = page.GetByTestId("item-C1");
        await item.Locator("summary").ClickAsync();
        await item.GetByLabel("Rationale").FillAsync("Every read of the test data is recorded");
        await item.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }).ClickAsync();
        (await page.GetByTestId("item-C1").Locator(".field-error").TextContentAsync())!.ShouldContain("needs evidence links");

        item = page.GetByTestId("item-C1");
        await item.GetByLabel("Rationale").FillAsync("Every read of the test data is recorded");
        await item.GetByLabel(new System.Text.RegularExpressions.Regex("Evaluation [0-9a-f]{8}")).CheckAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }).ClickAsync();
        (await page.GetByTestId("message").TextContentAsync()).ShouldBe("Item C1 answered.");

        // The signing dialog says what is signed and what it means; a wrong password is a readable 401.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign item C1…" }).ClickAsync();
        var dialog = page.GetByTestId("dialog-C1");
        (await dialog.IsVisibleAsync()).ShouldBeTrue();
        var meaning = (await dialog.GetByTestId("meaning").TextContentAsync())!;
        meaning.ShouldContain("DATA.AUDITOR");
        meaning.ShouldContain("item C1, answer revision 1");
        await dialog.GetByLabel("Meaning of the signature").SelectOptionAsync("Approved");
        (await dialog.Locator("[data-meaning-text]").TextContentAsync()).ShouldBe("Approved");
        await dialog.GetByLabel("Password").FillAsync("not my password");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebApp.ScreenshotPath("web-signing-dialog.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();

        dialog = page.GetByTestId("dialog-C1");
        (await dialog.IsVisibleAsync()).ShouldBeTrue();
        var refusal = (await dialog.GetByTestId("sign-error").TextContentAsync())!;
        refusal.ShouldContain("Re-authentication failed (HTTP 401)");
        refusal.ShouldContain("the user name or password is wrong");

        await dialog.GetByLabel("Password").FillAsync(password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
        (await page.GetByTestId("message").TextContentAsync()).ShouldBe("Item C1 signed.");
        (await page.GetByTestId("signature-C1").TextContentAsync())!.ShouldContain("Signed by DATA.AUDITOR, Approved");
        var everyone = (await page.GetByTestId("all-signatures").TextContentAsync())!;
        everyone.ShouldContain("AIML.AUDITOR");
        everyone.ShouldContain("DATA.AUDITOR");

        // The record has it as the Api would: the signature, and the failed re-authentication on the auditor's stream.
        var audit = await (await lead.Http.GetAsync(auditUrl)).ShouldBe(HttpStatusCode.OK);
        audit["signatures"]!.AsArray().ShouldContain(x => x!["itemId"]!.GetValue<string>() == "C1" && x["printedName"]!.GetValue<string>() == "DATA.AUDITOR");
        (await Fixture.ScalarAsync($"select count(*) from ai4h.mt_events where stream_id = '{data.UserId}' and type = 'reauthentication_failed'")).ShouldBe(1);
    }
}
