using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Datasets;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Identity;

public sealed class AuthenticationTests(ApiFixture fixture) : ApiTest(fixture)
{
    public static TheoryData<string, string> ProtectedEndpoints() => new()
    {
        { "GET", "/api/datasets" },
        { "POST", "/api/datasets" },
        { "GET", $"/api/datasets/{Guid.NewGuid()}" },
        { "GET", $"/api/datasets/{Guid.NewGuid()}/history" },
        { "POST", $"/api/datasets/{Guid.NewGuid()}/versions" },
        { "GET", "/api/me" },
        { "POST", "/api/users" },
        { "GET", "/openapi/v1.json" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task without_a_key_every_read_and_write_is_401(string method, string url)
    {
        var before = await Fixture.EventCountAsync();
        var response = await Fixture.Client(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        });
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("ai4h_00000000000000000000000000000000_00000000000000000000000000000000_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task a_malformed_or_unknown_key_is_401(string key)
    {
        await (await Fixture.Client(key).GetAsync("/api/datasets")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_key_with_a_wrong_secret_is_401()
    {
        var tampered = Steward.ApiKey[..^4] + (Steward.ApiKey.EndsWith("aaaa") ? "bbbb" : "aaaa");
        await (await Fixture.Client(tampered).GetAsync("/api/datasets")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Steward.Http.GetAsync("/api/datasets")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_key_also_works_in_the_x_api_key_header()
    {
        var client = Fixture.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", Steward.ApiKey);
        var me = await (await client.GetAsync("/api/me")).ShouldBe(HttpStatusCode.OK);
        me["userName"]!.GetValue<string>().ShouldBe("steward");
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["DataSteward"]);
    }

    [Fact]
    public async Task a_revoked_key_stops_working_at_once()
    {
        var admin = await Fixture.CreateUserAsync("root", Role.Administrator);
        await (await admin.Http.PostAsync($"/api/users/{Steward.UserId}/api-keys/{Steward.KeyId}/revocation", null)).ShouldBe(HttpStatusCode.NoContent);

        await (await Steward.Http.GetAsync("/api/datasets")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await admin.Http.PostAsync($"/api/users/{Steward.UserId}/api-keys/{Steward.KeyId}/revocation", null)).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task health_is_the_only_anonymous_endpoint()
    {
        await (await Fixture.Client(null).GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
    }
}
