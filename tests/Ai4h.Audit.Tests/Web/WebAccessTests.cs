using System.Net;
using System.Text.RegularExpressions;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Web;

/// <summary>How the web application lets people in: sign-in throttled per account like every password check, and pages acting with the caller's own credentials.</summary>
public sealed partial class WebAccessTests(ApiFixture fixture) : ApiTest(fixture)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private async Task<HttpResponseMessage> SignInAsync(string userName, string password)
    {
        using var client = Fixture.Client(null);
        var form = await client.GetAsync("/signin");
        form.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        token.ShouldNotBeEmpty();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = userName, ["password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        return await client.SendAsync(post);
    }

    [Fact]
    public async Task past_the_limit_sign_in_attempts_for_an_account_are_refused_without_checking_the_password_while_other_accounts_sign_in()
    {
        var target = await Fixture.CreateUserAsync("target", Role.Regulator);
        var bystander = await Fixture.CreateUserAsync("bystander", Role.Regulator);
        foreach (var user in new[] { target, bystander })
            await (await user.Http.PostJson("/api/users/me/password", new { newPassword = AuditedSubmission.Password })).ShouldBe(HttpStatusCode.NoContent);
        var limit = int.Parse(Environment.GetEnvironmentVariable("Ai4h__RateLimits__Passwords__PermitLimit")!);

        for (var i = 0; i < limit; i++)
        {
            var guess = await SignInAsync("target", $"guess number {i}");
            guess.StatusCode.ShouldBe(HttpStatusCode.OK, $"attempt {i + 1}");
            (await guess.Content.ReadAsStringAsync()).ShouldContain("The user name or password is wrong");
        }
        // The right password no longer helps: it is not even checked.
        var refused = await SignInAsync("TARGET", AuditedSubmission.Password);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Too many sign-in attempts");
        refused.Headers.Contains("Set-Cookie").ShouldBeFalse();

        var other = await SignInAsync("bystander", AuditedSubmission.Password);
        other.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        other.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("ai4h.web=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_page_asked_for_with_an_api_key_reads_through_the_api_with_that_same_key()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", Datasets.DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var page = await Steward.Http.GetAsync("/datasets");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The list comes from GET /api/datasets, which answers only to the steward's key.
        (await page.Content.ReadAsStringAsync()).ShouldContain(created["datasetId"]!.GetValue<Guid>().ToString());
    }
}
