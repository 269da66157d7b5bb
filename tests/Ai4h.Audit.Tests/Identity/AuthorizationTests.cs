using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Datasets;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Identity;

public sealed class AuthorizationTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData(Role.ModelDeveloper)]
    [InlineData(Role.Annotator)]
    [InlineData(Role.Auditor)]
    [InlineData(Role.Regulator)]
    public async Task only_data_stewards_and_administrators_register_datasets(Role role)
    {
        var user = await Fixture.CreateUserAsync("someone", role);
        var problem = await (await user.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBeProblem(HttpStatusCode.Forbidden);
        problem["detail"]!.GetValue<string>().ShouldContain("DataSteward");
    }

    [Fact]
    public async Task a_refusal_is_itself_recorded_as_a_security_event()
    {
        var developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);

        await (await developer.Http.GetAsync("/api/datasets")).ShouldBeProblem(HttpStatusCode.Forbidden);

        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var history = (await (await admin.Http.GetAsync($"/api/users/{developer.UserId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        var refusal = history.Last()!;
        refusal["type"]!.GetValue<string>().ShouldBe("access_refused");
        refusal["actor"]!.GetValue<string>().ShouldBe("dev");
        refusal["data"]!["method"]!.GetValue<string>().ShouldBe("GET");
        refusal["data"]!["path"]!.GetValue<string>().ShouldBe("/api/datasets");
        refusal["data"]!["requiredAnyOf"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain("DataSteward");
    }

    [Fact]
    public async Task model_developers_cannot_read_dataset_metadata()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var developer = await Fixture.CreateUserAsync("dev", Role.ModelDeveloper);
        await (await developer.Http.GetAsync(created["url"]!.GetValue<string>())).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task only_administrators_create_users_and_the_new_key_works()
    {
        await (await Steward.Http.PostJson("/api/users", new { userName = "x", printedName = "X", roles = new[] { "Auditor" } }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);

        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var created = await (await admin.Http.PostJson("/api/users", new
        {
            userName = "dr.ada", printedName = "Dr Ada Lovelace", organisation = "Notified Body 0001", roles = new[] { "Auditor", "AuditLead" },
        })).ShouldBe(HttpStatusCode.Created);

        var me = await (await Fixture.Client(created["apiKey"]!.GetValue<string>()).GetAsync("/api/me")).ShouldBe(HttpStatusCode.OK);
        me["printedName"]!.GetValue<string>().ShouldBe("Dr Ada Lovelace");
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["Auditor", "AuditLead"]);

        var history = (await (await admin.Http.GetAsync($"/api/users/{created["userId"]}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["user_registered", "api_key_issued"]);
        history.ShouldAllBe(e => e!["actor"]!.GetValue<string>() == "root");
        history.ToJsonString().ShouldNotContain(created["apiKey"]!.GetValue<string>()); // only the hash is recorded
    }

    [Fact]
    public async Task a_taken_user_name_is_a_conflict()
    {
        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        await (await admin.Http.PostJson("/api/users", new { userName = "steward", printedName = "S", roles = new[] { "Auditor" } }))
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_user_without_roles_or_with_an_unknown_role_is_refused()
    {
        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        var noRoles = await (await admin.Http.PostJson("/api/users", new { userName = "a", printedName = "A", roles = Array.Empty<string>() }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        noRoles["errors"]!["roles"].ShouldNotBeNull();
        await (await admin.Http.PostRaw("/api/users", """{"userName":"b","printedName":"B","roles":["Wizard"]}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}
