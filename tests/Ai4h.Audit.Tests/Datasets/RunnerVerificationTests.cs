using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Tests.Infrastructure;
using Marten;

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

    [Fact]
    public async Task a_verdict_that_loses_the_race_for_the_data_set_stream_is_judged_again_not_dropped()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        var datasetId = created["datasetId"]!.GetValue<Guid>();
        await (await Steward.Http.PostFile($"{url}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv))).ShouldBe(HttpStatusCode.Created);
        await WaitForEvent($"{url}/history", "dataset_version_verified");

        // Version 2 is recorded without asking the Runner, so the test decides when the Runner judges it.
        var bytes = Encoding.UTF8.GetBytes(DatasetsApiTests.Csv + "c4,40,M,0.5,1\r\n");
        await using (var session = Fixture.Store.LightweightSession())
        {
            session.LastModifiedBy = Steward.UserName;
            var stream = await session.Events.FetchForWriting<Dataset>(datasetId);
            Domain.Record.BlobStore.Store(session, bytes);
            stream.AppendOne(DatasetDecisions.UploadVersion(stream.Aggregate!, "v2.csv", bytes, null));
            await session.SaveChangesAsync();
        }

        // A steward's write holds the stream (as an upload does until its commit) while the Runner judges version 2: the
        // Runner reads, then waits for the stream; the steward commits another version first, so the Runner's append
        // fails its version check.
        await using (var steward = Fixture.Store.LightweightSession())
        {
            steward.LastModifiedBy = Steward.UserName;
            var held = await steward.Events.FetchForExclusiveWriting<Dataset>(datasetId);
            await using (var scope = Fixture.Host.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>()
                    .SendAsync(new VerifyDatasetVersion(datasetId, 2, Domain.Record.Sha256.Hex(bytes)));
            await WaitForLockWaiterAsync();
            var third = Encoding.UTF8.GetBytes(DatasetsApiTests.Csv + "c5,41,F,0.4,0\r\n");
            Domain.Record.BlobStore.Store(steward, third);
            held.AppendOne(DatasetDecisions.UploadVersion(held.Aggregate!, "v3.csv", third, null));
            await steward.SaveChangesAsync();
        }

        // The Runner judged version 2 again on a fresh read: its verdict is on the record, after version 3.
        var history = await WaitForEvent($"{url}/history", e => e["type"]!.GetValue<string>() == "dataset_version_verified" && e["data"]!["version"]!.GetValue<int>() == 2);
        var sequences = history.Where(e => e!["data"]!["version"] is not null).ToDictionary(e => (e!["type"]!.GetValue<string>(), e["data"]!["version"]!.GetValue<int>()), e => e!["sequence"]!.GetValue<long>());
        sequences[("dataset_version_verified", 2)].ShouldBeGreaterThan(sequences[("dataset_version_uploaded", 3)]);
        (await (await Steward.Http.GetAsync($"{url}/versions/2")).ShouldBe(HttpStatusCode.OK))["verification"]!.GetValue<string>().ShouldBe("Verified");
    }

    [Fact]
    public async Task a_stewards_upload_waits_for_a_write_already_holding_the_data_set_stream_instead_of_failing_with_409()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        var datasetId = created["datasetId"]!.GetValue<Guid>();

        // Another writer (as the Runner with a verdict) holds the stream while the steward uploads; it commits once the
        // upload waits. The upload locks the stream before reading it, so it reads after that commit and goes through.
        Task<HttpResponseMessage> upload;
        await using (var other = Fixture.Store.LightweightSession())
        {
            other.LastModifiedBy = "system:runner";
            var held = await other.Events.FetchForExclusiveWriting<Dataset>(datasetId);
            upload = Steward.Http.PostFile($"{url}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv));
            await WaitForLockWaiterAsync();
            var bytes = Encoding.UTF8.GetBytes(DatasetsApiTests.Csv + "c4,40,M,0.5,1\r\n");
            Domain.Record.BlobStore.Store(other, bytes);
            held.AppendOne(DatasetDecisions.UploadVersion(held.Aggregate!, "other.csv", bytes, null));
            await other.SaveChangesAsync();
        }
        (await (await upload).ShouldBe(HttpStatusCode.Created))["version"]!.GetValue<int>().ShouldBe(2);
    }

    private async Task WaitForLockWaiterAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Fixture.ScalarAsync("select count(*) from pg_locks where not granted") == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no one waited for the data set's stream");
            await Task.Delay(50);
        }
    }

    private Task<JsonArray> WaitForEvent(string historyUrl, string type) => WaitForEvent(historyUrl, e => e["type"]!.GetValue<string>() == type);

    private async Task<JsonArray> WaitForEvent(string historyUrl, Func<JsonNode, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var history = (await (await Steward.Http.GetAsync(historyUrl)).ShouldBe(HttpStatusCode.OK)).AsArray();
            if (history.Any(e => wanted(e!))) return history;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no such event within 60 s: {history.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
