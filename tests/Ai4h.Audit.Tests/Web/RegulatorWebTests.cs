using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Ai4h.Audit.Tests.Web;

/// <summary>A regulator's journey in a real browser: sign in, find the submission, read its dossier, ask why, look back, download, verify the ledger.</summary>
public sealed class RegulatorWebTests(ApiFixture fixture) : WebTest(fixture)
{
    /// <summary>Event type names as the record stores them (snake case) or as the class is named.</summary>
    private static bool Is(string type, string name) => type.Replace("_", "").Equals(name, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task a_regulator_reads_the_dossier_asks_why_looks_back_downloads_and_verifies_the_ledger()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var evaluation = await (await s.Regulator.Http.GetAsync(s.EvaluationUrl)).ShouldBe(HttpStatusCode.OK);
        var auroc = evaluation["results"]!["metrics"]!["auroc"]!["value"]!.GetValue<double>().ToString("0.0000", CultureInfo.InvariantCulture);
        var dossier = await (await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/dossier")).ShouldBe(HttpStatusCode.OK);
        var decided = dossier["events"]!.AsArray().First(e => Is(e!["type"]!.GetValue<string>(), "DecisionRecorded"))!["sequence"]!.GetValue<long>();
        var sequencer = Fixture.Host.Services.GetRequiredService<LedgerSequencer>();
        while (await sequencer.SequenceOnceAsync(CancellationToken.None) > 0) { }
        await (await s.Regulator.Http.PostAsync("/api/ledger/checkpoints", null)).ShouldBe(HttpStatusCode.Created);

        var page = await Web.NewPageAsync();
        await page.GotoAsync("/");
        page.Url.ShouldContain("/signin");

        // A wrong password is a readable refusal that does not say which half was wrong.
        await WebApp.SignInAsync(page, "regulator", "not the password");
        (await page.GetByTestId("signin-error").TextContentAsync())!.ShouldContain("user name or password is wrong");

        await WebApp.SignInAsync(page, "regulator", AuditedSubmission.Password);
        var who = (await page.GetByTestId("who").TextContentAsync())!;
        who.ShouldContain("REGULATOR");
        who.ShouldContain("Regulator");

        // The submissions list shows the decision in force.
        var row = page.GetByTestId("submissions").Locator("tbody tr").First;
        (await row.GetByTestId("decision").TextContentAsync()).ShouldBe("Approved");
        await row.GetByRole(AriaRole.Link).ClickAsync();

        // The dossier shows the number the Api computed, the signers and the decision.
        await page.WaitForURLAsync(new Regex($"/submissions/{s.SubmissionId}$"));
        var aurocRow = page.GetByTestId("metrics").Locator("tr[data-metric=auroc]");
        (await aurocRow.Locator("td").Nth(1).TextContentAsync()).ShouldBe(auroc);
        var signatures = (await page.GetByTestId("signatures").TextContentAsync())!;
        foreach (var signer in new[] { "LEAD", "DATA.AUDITOR", "AIML.AUDITOR", "REGULATOR" }) signatures.ShouldContain(signer);
        (await page.GetByTestId("cover-decision").TextContentAsync()).ShouldBe("Approved by REGULATOR");
        (await page.Locator("svg[aria-label^='ROC curve']").CountAsync()).ShouldBe(1);
        (await page.Locator("svg[aria-label^='Calibration']").CountAsync()).ShouldBe(1);
        await page.GetByTestId("metrics").ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => document.querySelector('section.evaluation').scrollIntoView()");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebApp.ScreenshotPath("web-dossier.png") });

        // "Why?" on AUROC: the Api's evidence trace of that number.
        await aurocRow.GetByRole(AriaRole.Link, new() { Name = "Why auroc?" }).ClickAsync();
        (await page.GetByTestId("claim").TextContentAsync())!.ShouldContain("auroc");
        (await page.GetByTestId("trace").TextContentAsync())!.ShouldContain(evaluation["provenance"]!["modelSha256"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the dossier" }).ClickAsync();

        // As the record stood just before the decision: no decision yet.
        await page.GetByLabel("As of event", new() { Exact = true }).FillAsync((decided - 1).ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        (await page.GetByTestId("as-of").TextContentAsync())!.ShouldContain($"event {decided - 1}");
        (await page.GetByTestId("cover-decision").TextContentAsync()).ShouldBe("none recorded");
        await page.GetByRole(AriaRole.Link, new() { Name = "Now" }).ClickAsync();

        // The PDF comes from the Api's export (recorded).
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download PDF" }).ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        System.Text.Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
        var history = await (await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/history")).ShouldBe(HttpStatusCode.OK);
        history.AsArray().ShouldContain(e => Is(e!["type"]!.GetValue<string>(), "DossierExported") && e["actor"]!.GetValue<string>() == "regulator");

        // The decision trace and the ledger's verification.
        await page.GetByRole(AriaRole.Link, new() { Name = "Trace the decision" }).ClickAsync();
        (await page.GetByTestId("trace").TextContentAsync())!.ShouldContain("REGULATOR");
        await page.GotoAsync("/ledger");
        (await page.GetByTestId("checkpoint").TextContentAsync())!.ShouldContain("Tree size");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        var verification = (await page.GetByTestId("verification").TextContentAsync())!;
        verification.ShouldContain("Okyes");
    }
}
