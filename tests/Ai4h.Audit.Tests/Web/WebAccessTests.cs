using System.Net;
using System.Text.RegularExpressions;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Web;

/// <summary>
/// How the web application lets people in: sign-in throttled per account like every password check, sign-ins and
/// sign-outs on the record, sessions ended by a password change, and pages acting with the caller's own credentials.
/// </summary>
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
    public async Task signing_in_and_out_is_on_the_record_and_a_password_change_ends_every_session_opened_before_it()
    {
        var user = await Fixture.CreateUserAsync("reviewer", Role.Regulator);
        await (await user.Http.PostJson("/api/users/me/password", new { newPassword = AuditedSubmission.Password })).ShouldBe(HttpStatusCode.NoContent);
        Task<long> Recorded(string type) => Fixture.ScalarAsync($"""
            select count(*) from ai4h.mt_events where stream_id = '{user.UserId}' and type = '{type}'
               and user_name = 'reviewer' and headers->>'actor-id' = '{user.UserId}' and data->>'Channel' = 'web'
            """);
        using var browser = Fixture.Client(null);
        async Task<string> SignedInCookie()
        {
            var signedIn = await SignInAsync("reviewer", AuditedSubmission.Password);
            signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ai4h.web=", StringComparison.Ordinal)).Split(';')[0];
        }
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, string cookies, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Add("Cookie", cookies);
            return await browser.SendAsync(request);
        }

        var first = await SignedInCookie();
        (await Recorded("signed_in")).ShouldBe(1);
        (await Send(HttpMethod.Get, "/", first)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The password changes (through the Api, with the user's key): the session opened with the old one ends.
        await (await user.Http.PostJson("/api/users/me/password", new { currentPassword = AuditedSubmission.Password, newPassword = "a quite different passphrase" }))
            .ShouldBe(HttpStatusCode.NoContent);
        var ended = await Send(HttpMethod.Get, "/", first);
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        ended.Headers.Location!.AbsolutePath.ShouldBe("/signin");

        // Setting the same password again still ends sessions opened before: each setting is a new stamp.
        await (await user.Http.PostJson("/api/users/me/password", new { currentPassword = "a quite different passphrase", newPassword = AuditedSubmission.Password }))
            .ShouldBe(HttpStatusCode.NoContent);
        var second = await SignedInCookie();
        (await Recorded("signed_in")).ShouldBe(2);

        // Signing out (with the page's antiforgery token) is recorded too, and ends the session.
        var page = await Send(HttpMethod.Get, "/", second);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Append(second));
        var signedOut = await Send(HttpMethod.Post, "/signout", cookies, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Recorded("signed_out")).ShouldBe(1);
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
