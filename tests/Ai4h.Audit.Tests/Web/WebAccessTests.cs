using System.Net;
using System.Text.RegularExpressions;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Web;

/// <summary>
/// How the web application lets people in: sign-in throttled per account like every password check, sign-ins and
/// sign-outs on the record, sessions ended by a password change, a regulator's decision form, and pages acting with the
/// caller's own credentials.
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

    /// <summary>Signs in through the page and returns the session cookie (name=value).</summary>
    private async Task<string> SessionCookieAsync(string userName, string password)
    {
        var signedIn = await SignInAsync(userName, password);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ai4h.web=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>A request as a browser holding these cookies sends it.</summary>
    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string cookies, HttpContent? content = null)
    {
        using var browser = Fixture.Client(null);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", cookies);
        return await browser.SendAsync(request);
    }

    /// <summary>A form posted from a page: the page's antiforgery token and cookie go with the session cookie.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(string page, string action, string session, Dictionary<string, string> fields)
    {
        var form = await Send(HttpMethod.Get, page, session);
        form.StatusCode.ShouldBe(HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        var cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Append(session));
        return await Send(HttpMethod.Post, action, cookies, new FormUrlEncodedContent(fields));
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
        Task<string> SignedInCookie() => SessionCookieAsync("reviewer", AuditedSubmission.Password);

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
        (await PostFormAsync("/", "/signout", second, [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Recorded("signed_out")).ShouldBe(1);
    }

    [Fact]
    public async Task a_regulator_records_a_decision_in_the_web_app_with_the_password_again_and_a_refusal_keeps_the_dialog_open()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var page = $"/audits/{s.AuditId}";
        var regulator = await SessionCookieAsync(s.Regulator.UserName, AuditedSubmission.Password);
        var audit = await (await s.Regulator.Http.GetAsync(s.AuditUrl)).ShouldBe(HttpStatusCode.OK);
        var inForce = audit["currentDecision"]!["id"]!.GetValue<Guid>();
        // The dossier leads the regulator to the audit's decision dialog, which opens without JavaScript too.
        (await (await Send(HttpMethod.Get, $"/submissions/{s.SubmissionId}", regulator)).Content.ReadAsStringAsync())
            .ShouldContain($"href=\"{page}?sign=decision\"");
        var html = await (await Send(HttpMethod.Get, $"{page}?sign=decision", regulator)).Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"dialog-decision\" open=\"open\"");
        html.ShouldContain("In force: <strong>Approved</strong>");
        html.ShouldContain($"name=\"supersedes\" value=\"{inForce}\"");
        Dictionary<string, string> Decision(string password) => new()
        {
            ["outcome"] = "Rejected", ["reasoning"] = "The subgroup results do not support use in the screening population",
            ["supersedes"] = inForce.ToString(), ["expectedVersion"] = audit["version"]!.ToString(), ["evidence"] = $"Evaluation:{s.EvaluationId}",
            ["userName"] = s.Regulator.UserName, ["password"] = password,
        };

        // A wrong password: the page comes back with the dialog open, the refusal in it and the reasoning kept; nothing decided.
        var refused = await PostFormAsync(page, $"{page}/Decide", regulator, Decision("not the password"));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        refusedHtml.ShouldContain("data-testid=\"decision-error\"");
        refusedHtml.ShouldContain("The subgroup results do not support use in the screening population</textarea>");
        (await (await s.Regulator.Http.GetAsync(s.AuditUrl)).ShouldBe(HttpStatusCode.OK))["allDecisions"]!.AsArray().Count.ShouldBe(1);

        // With the password: the new decision supersedes the one in force, with the evidence picked.
        (await PostFormAsync(page, $"{page}/Decide", regulator, Decision(AuditedSubmission.Password))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var decided = (await (await s.Regulator.Http.GetAsync(s.AuditUrl)).ShouldBe(HttpStatusCode.OK))["currentDecision"]!;
        (decided["outcome"]!.GetValue<string>(), decided["supersedes"]!.GetValue<Guid>(), decided["printedName"]!.GetValue<string>())
            .ShouldBe(("Rejected", inForce, audit["currentDecision"]!["printedName"]!.GetValue<string>()));
        decided["evidence"]!.AsArray().Single()!["id"]!.GetValue<Guid>().ShouldBe(s.EvaluationId);

        // The audit lead is not offered the form.
        var lead = await SessionCookieAsync(s.Lead.UserName, AuditedSubmission.Password);
        (await (await Send(HttpMethod.Get, page, lead)).Content.ReadAsStringAsync()).ShouldNotContain("Record a decision");
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
