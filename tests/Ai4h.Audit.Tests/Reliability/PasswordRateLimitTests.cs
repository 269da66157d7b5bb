using System.Net;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// Password checks (re-authentication, signing, password change) are rate limited per user: past the limit the answer is
/// 429 with Retry-After, the password is not tried, and only the first refusal of a period is recorded.
/// </summary>
public sealed class PasswordRateLimitTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Secret = "violet-tapestry-orbit-17";

    private int Limit => Fixture.Host.Services.GetRequiredService<IOptions<PasswordRateLimit>>().Value.PermitLimit;

    private static Task<HttpResponseMessage> Reauthenticate(TestUser user, string password) =>
        user.Http.PostJson("/api/users/me/reauthentication", new { userName = user.UserName, password, purpose = "sign checklist" });

    private Task<long> EventsOf(TestUser user, string type) =>
        Fixture.ScalarAsync($"select count(*) from ai4h.mt_events where stream_id = '{user.UserId}' and type = '{type}'");

    [Fact]
    public async Task past_the_limit_a_password_check_is_429_with_retry_after_and_the_password_is_not_tried()
    {
        var auditor = await Fixture.CreateUserAsync("dr.ada", Role.Auditor);
        await (await auditor.Http.PostJson("/api/users/me/password", new { newPassword = Secret })).ShouldBe(HttpStatusCode.NoContent);
        for (var i = 1; i < Limit; i++) await (await Reauthenticate(auditor, Secret)).ShouldBe(HttpStatusCode.OK);
        var before = await Fixture.EventCountAsync();

        var refused = await Reauthenticate(auditor, Secret);

        var problem = await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        problem["title"]!.GetValue<string>().ShouldBe("Too many password attempts");
        problem["detail"]!.GetValue<string>().ShouldContain("the password was not checked");
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        problem["retryAfterSeconds"]!.GetValue<int>().ShouldBe((int)refused.Headers.RetryAfter.Delta.Value.TotalSeconds);
        // The first refusal of the period is a security event on the user's stream, and the only thing recorded.
        (await Fixture.EventCountAsync()).ShouldBe(before + 1);
        (await EventsOf(auditor, "password_checks_throttled")).ShouldBe(1);

        // A wrong password is not tried either: no failure is recorded, nothing counts towards the signing lock, and
        // the same budget covers signing and changing the password.
        await (await Reauthenticate(auditor, "wrong-guess-1234")).ShouldBeProblem(HttpStatusCode.TooManyRequests);
        await (await auditor.Http.PostJson($"/api/audits/{Guid.NewGuid()}/items/C1/signatures",
            new { userName = auditor.UserName, password = "wrong-guess-1234", meaning = "Reviewed" })).ShouldBeProblem(HttpStatusCode.TooManyRequests);
        await (await auditor.Http.PostJson("/api/users/me/password", new { currentPassword = "wrong-guess-1234", newPassword = "marble-lantern-quiet-42" }))
            .ShouldBeProblem(HttpStatusCode.TooManyRequests);
        (await Fixture.EventCountAsync()).ShouldBe(before + 1);
        (await EventsOf(auditor, "reauthentication_failed")).ShouldBe(0);

        // The limit is the user's own: someone else checks their password as usual.
        var other = await Fixture.CreateUserAsync("dr.grace", Role.Auditor);
        await (await other.Http.PostJson("/api/users/me/password", new { newPassword = Secret })).ShouldBe(HttpStatusCode.NoContent);
        await (await Reauthenticate(other, Secret)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_signing_lock_still_answers_423_below_the_rate_limit()
    {
        var auditor = await Fixture.CreateUserAsync("dr.ada", Role.Auditor);
        await (await auditor.Http.PostJson("/api/users/me/password", new { newPassword = Secret })).ShouldBe(HttpStatusCode.NoContent);
        var lockAfter = Fixture.Host.Services.GetRequiredService<IOptions<SigningSecurity>>().Value.MaxFailures;
        (lockAfter + 2).ShouldBeLessThan(Limit);

        for (var i = 0; i < lockAfter; i++) await (await Reauthenticate(auditor, $"wrong-guess-{i}")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        await (await Reauthenticate(auditor, Secret)).ShouldBeProblem((HttpStatusCode)423);
        (await EventsOf(auditor, "signing_locked")).ShouldBe(1);
        (await EventsOf(auditor, "password_checks_throttled")).ShouldBe(0);
    }

    [Fact]
    public void every_endpoint_that_checks_a_password_is_rate_limited()
    {
        var endpoints = Fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var checksPasswords = endpoints
            .Where(e => e.Metadata.GetMetadata<HttpChain>() is { } chain
                        && chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(Reauthentication)))
            .Select(e => e.RoutePattern.RawText).Order().ToList();
        var limited = endpoints
            .Where(e => e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PasswordRateLimit.Policy)
            .Select(e => e.RoutePattern.RawText).Order().ToList();

        checksPasswords.ShouldBe([
            "/api/audits/{auditId}/decisions", "/api/audits/{auditId}/items/{itemId}/signatures", "/api/audits/{auditId}/signoff",
            "/api/users/me/password", "/api/users/me/reauthentication",
        ]);
        limited.ShouldBe(checksPasswords);
    }
}
