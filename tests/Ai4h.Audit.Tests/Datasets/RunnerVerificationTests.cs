using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Datasets;

/// <summary>The Api and the Runner are separate hosts; the only path between them is the durable queue in PostgreSQL.</summary>
public sealed class RunnerVerificationTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task the_runner_reads_an_uploaded_version_back_and_records_that_it_is_intact()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        await (await Steward.Http.PostFile($"{url}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv))).ShouldBe(HttpStatusCode.Created);

        var history = await WaitForEvent($"{url}/history", "dataset_version_verified");

        var upload = history.Single(e => e!["type"]!.GetValue<string>() == "dataset_version_uploaded")!;
        var verified = history.Single(e => e!["type"]!.GetValue<string>() == "dataset_version_verified")!;
        verified["actor"]!.GetValue<string>().ShouldBe("system:runner");
        verified["data"]!["verifier"]!.GetValue<string>().ShouldStartWith("ai4h-runner ");
        verified["data"]!["sha256"]!.GetValue<string>().ShouldBe(upload["data"]!["sha256"]!.GetValue<string>());
        // The runner's work traces back to the request that caused it.
        verified["correlationId"]!.GetValue<string>().ShouldBe(upload["correlationId"]!.GetValue<string>());

        var version = await (await Steward.Http.GetAsync($"{url}/versions/1")).ShouldBe(HttpStatusCode.OK);
        version["verification"]!.GetValue<string>().ShouldBe("Verified");
    }

    private async Task<JsonArray> WaitForEvent(string historyUrl, string type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var history = (await (await Steward.Http.GetAsync(historyUrl)).ShouldBe(HttpStatusCode.OK)).AsArray();
            if (history.Any(e => e!["type"]!.GetValue<string>() == type)) return history;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {type} event within 60 s: {history.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
