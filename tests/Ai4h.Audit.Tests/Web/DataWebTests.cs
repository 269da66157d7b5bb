using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Benchmarks;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Ai4h.Audit.Tests.Web;

/// <summary>A reader sees only their own work in a campaign (blinded); the steward sees the data set, every label and the agreement.</summary>
public sealed class DataWebTests(ApiFixture fixture) : WebTest(fixture)
{
    [Fact]
    public async Task an_annotator_sees_a_blinded_queue_and_the_steward_the_labels_and_agreement()
    {
        const string password = AuditedSubmission.Password;
        var datasetId = await BenchmarkTestData.UploadAsync(Steward, Encoding.UTF8.GetBytes("case_id,x\nc1,1\nc2,2\nc3,3\n"));
        var readers = new List<TestUser>();
        foreach (var name in new[] { "reader.a", "reader.b", "reader.c" }) readers.Add(await Fixture.CreateUserAsync(name, Role.Annotator));
        var arbiter = await Fixture.CreateUserAsync("arbiter", Role.Annotator);
        foreach (var u in new[] { Steward, readers[0] })
            await (await u.Http.PostJson("/api/users/me/password", new { newPassword = password })).ShouldBe(HttpStatusCode.NoContent);
        var url = (await (await Steward.Http.PostJson("/api/campaigns", new
        {
            name = "Malignancy reads", datasetId, datasetVersion = 1, caseIdColumn = "case_id", classes = new[] { "benign", "malignant" },
            annotators = readers.Select(r => r.UserId).ToArray(), readersPerCase = 3, arbitrator = arbiter.UserId, referenceColumn = "reference_label",
        })).ShouldBe(HttpStatusCode.Created))["url"]!.GetValue<string>();
        await (await readers[0].Http.PostJson($"{url}/labels", new { caseId = "c1", value = "malignant" })).ShouldBe(HttpStatusCode.Created);
        await (await readers[1].Http.PostJson($"{url}/labels", new { caseId = "c1", value = "benign" })).ShouldBe(HttpStatusCode.Created);

        // The reader lands on data sets and campaigns (no submissions to read) and sees only their own label.
        var page = await Web.NewPageAsync();
        await WebApp.SignInAsync(page, "reader.a", password);
        await page.WaitForURLAsync("**/datasets");
        await page.GetByTestId("campaigns").GetByRole(AriaRole.Link, new() { Name = "Malignancy reads" }).ClickAsync();
        (await page.GetByTestId("view").TextContentAsync()).ShouldBe("annotator");
        var queue = (await page.GetByTestId("cases").TextContentAsync())!;
        queue.ShouldContain("c1");
        queue.ShouldContain("malignant");
        queue.ShouldNotContain("benign");
        (await page.GetByTestId("agreement").CountAsync()).ShouldBe(0);

        // The steward oversees: the data set, every label and the agreement.
        var steward = await Web.NewPageAsync();
        await WebApp.SignInAsync(steward, Steward.UserName, password);
        await steward.GotoAsync("/datasets");
        (await steward.GetByTestId("datasets").TextContentAsync())!.ShouldContain(datasetId.ToString());
        await steward.GetByTestId("campaigns").GetByRole(AriaRole.Link, new() { Name = "Malignancy reads" }).ClickAsync();
        (await steward.GetByTestId("view").TextContentAsync()).ShouldBe("overseer");
        var all = (await steward.GetByTestId("cases").TextContentAsync())!;
        all.ShouldContain("malignant");
        all.ShouldContain("benign");
        (await steward.GetByTestId("agreement").CountAsync()).ShouldBe(1);

        // The sign-in cookie alone opens no door of the Api (a cross-site form could send it); with the pages' header it does.
        (await steward.APIRequest.GetAsync("/api/datasets")).Status.ShouldBe(401);
        (await steward.APIRequest.GetAsync("/api/datasets", new() { Headers = new Dictionary<string, string> { ["X-Ai4h-Web"] = "1" } })).Status.ShouldBe(200);
        // Signing out ends the session.
        await steward.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await steward.GotoAsync("/datasets");
        steward.Url.ShouldContain("/signin");
    }
}
