using System.Net;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Record;

public sealed class OpenApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task the_openapi_document_describes_every_endpoint_with_a_summary()
    {
        var document = await (await Steward.Http.GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject();

        paths.Select(p => p.Key).ShouldContain("/api/datasets/{datasetId}/versions");
        paths.Select(p => p.Key).ShouldContain("/api/datasets/{datasetId}/history");
        foreach (var (path, operations) in paths.Where(p => p.Key.StartsWith("/api/")))
        foreach (var (method, operation) in operations!.AsObject())
        {
            var summary = operation!["summary"]?.GetValue<string>();
            summary.ShouldNotBeNullOrWhiteSpace($"{method} {path}");
            summary.ShouldNotContain("_api_", customMessage: $"{method} {path} has a generated summary");
        }
    }
}
