using System.Net;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Identity;

public sealed class PasswordTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Secret = "violet-tapestry-orbit-17";
    private const string Purpose = "sign checklist";

    private TestUser Auditor { get; set; } = null!;
    private TestUser Admin { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Auditor = await Fixture.CreateUserAsync("dr.ada", Role.Auditor);
        Admin = await Fixture.CreateUserAsync("root", Role.Administrator);
    }

    private static Task<HttpResponseMessage> SetPassword(TestUser user, string newPassword, string? currentPassword = null) =>
        user.Http.PostJson("/api/users/me/password", new { currentPassword, newPassword });

    private static Task<HttpResponseMessage> Reauthenticate(TestUser user, string userName, string password) =>
        user.Http.PostJson("/api/users/me/reauthentication", new { userName, password, purpose = Purpose });

    private async Task<JsonArray> History(TestUser user) =>
        (await (await Admin.Http.GetAsync($"/api/users/{user.UserId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();

    private async Task<IReadOnlyList<string>> EventTypes(TestUser user) =>
        (await History(user)).Select(e => e!["type"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task a_user_sets_a_first_password_with_the_key_alone_and_only_a_hash_is_recorded()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);

        var history = await History(Auditor);
        var set = history.Last()!;
        set["type"]!.GetValue<string>().ShouldBe("password_set");
        set["actor"]!.GetValue<string>().ShouldBe("dr.ada");
        set["data"]!["hash"]!["algorithm"]!.GetValue<string>().ShouldBe("PBKDF2-HMAC-SHA256");
        // Not even administrators read the hash or salt back; the password is nowhere.
        set["data"]!["hash"]!["hashBase64"].ShouldBeNull();
        set["data"]!["hash"]!["saltBase64"].ShouldBeNull();
        history.ToJsonString().ShouldNotContain(Secret);
        (await (await Auditor.Http.GetAsync("/api/me")).ShouldBe(HttpStatusCode.OK)).ToJsonString().ShouldNotContain("PBKDF2");
    }

    [Fact]
    public async Task a_weak_new_password_is_refused_naming_the_rule()
    {
        var problem = await (await SetPassword(Auditor, "dr.ada-is-my-password")).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!["newPassword"]![0]!.GetValue<string>().ShouldBe("must not contain the user name");
        await (await SetPassword(Auditor, "short")).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await EventTypes(Auditor)).ShouldNotContain("password_set");
    }

    [Fact]
    public async Task changing_a_password_requires_the_current_one()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);
        const string next = "marble-lantern-quiet-42";

        var missing = await (await SetPassword(Auditor, next)).ShouldBeProblem(HttpStatusCode.BadRequest);
        missing["errors"]!["currentPassword"].ShouldNotBeNull();
        await (await SetPassword(Auditor, next, "not-the-password")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await EventTypes(Auditor)).Last().ShouldBe("reauthentication_failed");

        await (await SetPassword(Auditor, next, Secret)).ShouldBe(HttpStatusCode.NoContent);
        await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Reauthenticate(Auditor, "dr.ada", next)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task re_authentication_with_ones_own_name_and_password_succeeds_and_records_nothing()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);
        var before = await Fixture.EventCountAsync();

        var me = await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBe(HttpStatusCode.OK);

        me["userId"]!.GetValue<Guid>().ShouldBe(Auditor.UserId);
        me["printedName"]!.GetValue<string>().ShouldBe("DR.ADA");
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task a_wrong_password_is_401_and_a_security_event_on_the_users_stream()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);

        var problem = await (await Reauthenticate(Auditor, "dr.ada", "violet-tapestry-orbit-18")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        problem["title"]!.GetValue<string>().ShouldBe("Re-authentication failed");
        problem.ToJsonString().ShouldNotContain("violet");
        var failed = (await History(Auditor)).Last()!;
        failed["type"]!.GetValue<string>().ShouldBe("reauthentication_failed");
        failed["actor"]!.GetValue<string>().ShouldBe("dr.ada");
        failed["data"]!["purpose"]!.GetValue<string>().ShouldBe(Purpose);
    }

    [Fact]
    public async Task without_a_password_there_is_nothing_to_re_authenticate_with()
    {
        await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBeProblem(HttpStatusCode.Conflict);
        (await EventTypes(Auditor)).ShouldNotContain("reauthentication_failed");
    }

    [Fact]
    public async Task my_key_with_another_users_name_and_password_is_refused_and_counted_against_me()
    {
        var other = await Fixture.CreateUserAsync("dr.grace", Role.Auditor);
        await (await SetPassword(other, Secret)).ShouldBe(HttpStatusCode.NoContent);
        await (await SetPassword(Auditor, "marble-lantern-quiet-42")).ShouldBe(HttpStatusCode.NoContent);

        await (await Reauthenticate(Auditor, "dr.grace", Secret)).ShouldBeProblem(HttpStatusCode.Unauthorized);

        (await EventTypes(Auditor)).Last().ShouldBe("reauthentication_failed");
        (await EventTypes(other)).ShouldNotContain("reauthentication_failed");
    }

    [Fact]
    public async Task five_failures_lock_signing_even_for_the_right_password_until_the_lock_ends()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);

        for (var i = 0; i < 5; i++)
            await (await Reauthenticate(Auditor, "dr.ada", $"wrong-guess-{i}")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        var history = await History(Auditor);
        history.Select(e => e!["type"]!.GetValue<string>()).TakeLast(2).ShouldBe(["reauthentication_failed", "signing_locked"]);
        history.Last()!["data"]!["failures"]!.GetValue<int>().ShouldBe(5);

        var locked = await Reauthenticate(Auditor, "dr.ada", Secret);
        var problem = await locked.ShouldBeProblem((HttpStatusCode)423);
        problem["lockedUntil"].ShouldNotBeNull();
        problem["detail"]!.GetValue<string>().ShouldContain("locked until");
        locked.Headers.RetryAfter.ShouldNotBeNull();
        // Nor may the password be changed meanwhile.
        await (await SetPassword(Auditor, "marble-lantern-quiet-42", Secret)).ShouldBeProblem((HttpStatusCode)423);

        var until = problem["lockedUntil"]!.GetValue<DateTimeOffset>();
        await Task.Delay(until - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_success_forgives_earlier_failures()
    {
        await (await SetPassword(Auditor, Secret)).ShouldBe(HttpStatusCode.NoContent);

        for (var i = 0; i < 4; i++) await Reauthenticate(Auditor, "dr.ada", $"wrong-guess-{i}");
        await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 4; i++) await Reauthenticate(Auditor, "dr.ada", $"wrong-guess-{i}");

        var types = await EventTypes(Auditor);
        types.ShouldContain("reauthentication_succeeded");
        types.ShouldNotContain("signing_locked");
        await (await Reauthenticate(Auditor, "dr.ada", Secret)).ShouldBe(HttpStatusCode.OK);
    }
}
