using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Infrastructure;
using Marten;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// No API key, key hash, password or password hash reaches the Api's logs, at any level, in messages, structured values,
/// scopes or exception text. (That passwords are stored with PBKDF2-HMAC-SHA256 is proved by Pure/PasswordHashTests and
/// Identity/PasswordTests.a_user_sets_a_first_password_with_the_key_alone_and_only_a_hash_is_recorded.)
/// </summary>
public sealed class SecretsInLogsTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string FirstPassword = "violet-tapestry-orbit-17";
    private const string SecondPassword = "marble-lantern-quiet-42";
    private const string WrongPassword = "copper-harbour-signal-88";

    [Fact]
    public async Task no_api_key_password_or_hash_appears_in_any_log_entry()
    {
        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        Fixture.Logs.Start();
        List<string> secrets;
        try
        {
            // An administrator opens an account: the response carries the new key, once.
            var created = await (await admin.Http.PostJson("/api/users", new { userName = "dr.ada", printedName = "Dr Ada", roles = new[] { "Auditor" } }))
                .ShouldBe(HttpStatusCode.Created);
            var key = created["apiKey"]!.GetValue<string>();
            var user = Fixture.Client(key);
            var issued = await (await admin.Http.PostJson($"/api/users/{created["userId"]}/api-keys", new { label = "laptop" })).ShouldBe(HttpStatusCode.OK);
            var secondKey = issued["apiKey"]!.GetValue<string>();

            // Valid and invalid keys, in both headers.
            await (await user.GetAsync("/api/me")).ShouldBe(HttpStatusCode.OK);
            var tampered = key[..^8] + (key.EndsWith("aaaaaaaa") ? "bbbbbbbb" : "aaaaaaaa");
            await (await Fixture.Client(tampered).GetAsync("/api/me")).ShouldBeProblem(HttpStatusCode.Unauthorized);
            var viaHeader = Fixture.Client(null);
            viaHeader.DefaultRequestHeaders.Add("X-Api-Key", secondKey[..^1]);
            await (await viaHeader.GetAsync("/api/me")).ShouldBeProblem(HttpStatusCode.Unauthorized);
            await (await Fixture.Client("not-a-key-" + WrongPassword).GetAsync("/api/me")).ShouldBeProblem(HttpStatusCode.Unauthorized);
            await (await user.GetAsync("/api/users")).ShouldBeProblem(HttpStatusCode.Forbidden); // a refusal is logged

            // Passwords: set, wrong and right re-authentication, change, signing with both, and a body that fails to parse.
            await (await user.PostJson("/api/users/me/password", new { newPassword = FirstPassword })).ShouldBe(HttpStatusCode.NoContent);
            await (await user.PostJson("/api/users/me/reauthentication", new { userName = "dr.ada", password = WrongPassword, purpose = "sign" }))
                .ShouldBeProblem(HttpStatusCode.Unauthorized);
            await (await user.PostJson("/api/users/me/reauthentication", new { userName = "dr.ada", password = FirstPassword, purpose = "sign" }))
                .ShouldBe(HttpStatusCode.OK);
            await (await user.PostJson("/api/users/me/password", new { currentPassword = WrongPassword, newPassword = SecondPassword }))
                .ShouldBeProblem(HttpStatusCode.Unauthorized);
            await (await user.PostJson("/api/users/me/password", new { currentPassword = FirstPassword, newPassword = SecondPassword }))
                .ShouldBe(HttpStatusCode.NoContent);
            var audit = $"/api/audits/{Guid.NewGuid()}/items/C1/signatures";
            await (await user.PostJson(audit, new { userName = "dr.ada", password = WrongPassword, meaning = "Reviewed" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
            await (await user.PostJson(audit, new { userName = "dr.ada", password = SecondPassword, meaning = "Reviewed" })).ShouldBeProblem(HttpStatusCode.NotFound);
            await (await user.PostRaw("/api/users/me/reauthentication", $$"""{"userName":"dr.ada","password":"{{SecondPassword}}","purpose":7}"""))
                .ShouldBeProblem(HttpStatusCode.BadRequest);

            // Everything that must never be logged: the keys, their secrets and the hashes of the secrets, the passwords,
            // and the stored PBKDF2 salt and hash.
            await using var session = Fixture.Store.QuerySession();
            var account = await session.LoadAsync<UserAccount>(created["userId"]!.GetValue<Guid>());
            secrets = [FirstPassword, SecondPassword, WrongPassword, tampered, account!.Password!.SaltBase64, account.Password.HashBase64];
            foreach (var k in new[] { key, secondKey, admin.ApiKey })
            {
                var secret = k.Split('_')[^1];
                secrets.AddRange([k, secret, Sha256.Hex(Encoding.UTF8.GetBytes(secret))]);
            }
            account.ApiKeys.Select(k => k.SecretSha256).ShouldBeSubsetOf(secrets);
        }
        finally
        {
            Fixture.Logs.Stop();
        }

        var entries = Fixture.Logs.Entries;
        // The capture works: it saw the requests, the refusal and the failures.
        entries.ShouldContain(e => e.Contains("Refused GET /api/users to dr.ada"));
        entries.ShouldContain(e => e.Contains("/api/users/me/reauthentication"));
        entries.ShouldContain(e => e.Contains("values not logged")); // Marten's commands, through Hosting/RecordLogger
        entries.Count.ShouldBeGreaterThan(50);
        var leaks = entries.SelectMany(e => secrets.Where(s => e.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{s[..6]}… in: {e}")).ToList();
        leaks.ShouldBeEmpty();
    }
}
