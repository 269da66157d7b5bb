using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;
using Ai4h.Audit.Tests.Submissions;
using Microsoft.Playwright;

namespace Ai4h.Audit.Tests.Web;

/// <summary>A developer's journey in a real browser: a refused manifest shown at its field, a submission, an evaluation watched to its results.</summary>
public sealed class DeveloperWebTests(ApiFixture fixture) : WebTest(fixture)
{
    [Fact]
    public async Task a_developer_sees_the_manifest_refused_at_its_field_submits_and_watches_the_evaluation_to_its_results()
    {
        var dev = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        await (await dev.Http.PostJson("/api/users/me/password", new { newPassword = AuditedSubmission.Password })).ShouldBe(HttpStatusCode.NoContent);
        var benchmark = await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40);
        var model = Path.Combine(EvaluationTestData.ModelsFolder, "wdbc-logreg", "model.onnx");
        var bad = SubmissionTests.Manifest(benchmark);
        bad["benchmarkId"] = Guid.NewGuid();

        var page = await Web.NewPageAsync();
        await WebApp.SignInAsync(page, dev.UserName, AuditedSubmission.Password);
        (await page.GetByTestId("roles").TextContentAsync()).ShouldBe("ModelDeveloper");
        await page.GetByRole(AriaRole.Link, new() { Name = "Submit a model" }).ClickAsync();
        await page.GetByLabel("ONNX model file").SetInputFilesAsync(model);
        await page.GetByLabel("Manifest (JSON)").FillAsync(bad.ToJsonString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        var refusal = (await page.GetByTestId("manifest-error").TextContentAsync())!;
        refusal.ShouldContain("benchmarkId");
        refusal.ShouldContain("does not exist");

        await page.GetByLabel("ONNX model file").SetInputFilesAsync(model);
        await page.GetByLabel("Manifest (JSON)").FillAsync(SubmissionTests.Manifest(benchmark).ToJsonString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/submissions/[0-9a-f-]{36}"));
        var submissionId = Guid.Parse(new Regex("/submissions/([0-9a-f-]{36})").Match(page.Url).Groups[1].Value);

        // The request goes through the Api; the page refreshes itself while the Runner works, until the numbers are there.
        await page.GetByRole(AriaRole.Button, new() { Name = "Request an evaluation" }).ClickAsync();
        await page.GetByTestId("metrics").WaitForAsync(new() { Timeout = 120_000 });
        var evaluations = await (await dev.Http.GetAsync($"/api/submissions/{submissionId}/evaluations")).ShouldBe(HttpStatusCode.OK);
        var evaluation = await (await dev.Http.GetAsync($"/api/evaluations/{evaluations.AsArray()[0]!["id"]!.GetValue<Guid>()}")).ShouldBe(HttpStatusCode.OK);
        foreach (var metric in new[] { "auroc", "sensitivity", "specificity" })
        {
            var value = evaluation["results"]!["metrics"]![metric]!["value"]!.GetValue<double>().ToString("0.0000", CultureInfo.InvariantCulture);
            (await page.GetByTestId("metrics").Locator($"tr[data-metric={metric}] td").Nth(1).TextContentAsync()).ShouldBe(value);
        }

        // Their submissions, and the submission's history with them as its actor.
        await page.GetByRole(AriaRole.Link, new() { Name = "Submissions" }).ClickAsync();
        (await page.GetByTestId("submissions").Locator("tbody tr").CountAsync()).ShouldBe(1);
        await page.GotoAsync($"/trace?history={submissionId}");
        (await page.GetByTestId("trace").TextContentAsync())!.ShouldContain("dev");
    }
}
