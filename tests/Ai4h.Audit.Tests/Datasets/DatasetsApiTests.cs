using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Datasets;

public sealed class DatasetsApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    internal static readonly object Registration = new
    {
        name = "Wisconsin diagnostic breast cancer",
        description = "Fine-needle aspirate features",
        owner = "UCI ML repository",
        intendedUse = "Test set for malignancy classifiers",
        licence = "CC BY 4.0",
        modality = "tabular",
        task = "binary classification",
    };

    internal const string Csv = "case_id,age,sex,score,label\r\nc1,54,F,0.91,1\r\nc2,61,M,,0\r\nc3,NA,F,0.12,0\r\n";

    private async Task<Guid> Register()
    {
        var body = await (await Steward.Http.PostJson("/api/datasets", Registration)).ShouldBe(HttpStatusCode.Created);
        return body["datasetId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task registering_a_dataset_records_who_did_it_and_when_in_server_time()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var id = await Register();
        var after = DateTimeOffset.UtcNow.AddSeconds(5);

        var dataset = await (await Steward.Http.GetAsync($"/api/datasets/{id}")).ShouldBe(HttpStatusCode.OK);
        dataset["name"]!.GetValue<string>().ShouldBe("Wisconsin diagnostic breast cancer");
        dataset["licence"]!.GetValue<string>().ShouldBe("CC BY 4.0");

        var history = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Count.ShouldBe(1);
        history[0]!["type"]!.GetValue<string>().ShouldBe("dataset_registered");
        history[0]!["actor"]!.GetValue<string>().ShouldBe("steward");
        var at = history[0]!["recordedAt"]!.GetValue<DateTimeOffset>();
        at.ShouldBeInRange(before, after);
        at.Offset.ShouldBe(TimeSpan.Zero);
        history[0]!["correlationId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task uploading_a_version_records_its_sha256_schema_rows_and_missing_counts()
    {
        var id = await Register();
        var bytes = Encoding.UTF8.GetBytes(Csv);

        var created = await (await Steward.Http.PostFile($"/api/datasets/{id}/versions", bytes, "v1.csv",
            new Dictionary<string, string> { ["reason"] = "first release" })).ShouldBe(HttpStatusCode.Created);

        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(bytes)); // independent of the platform's hashing
        created["sha256"]!.GetValue<string>().ShouldBe(expectedSha);
        created["version"]!.GetValue<int>().ShouldBe(1);
        created["rowCount"]!.GetValue<int>().ShouldBe(3);

        var version = await (await Steward.Http.GetAsync($"/api/datasets/{id}/versions/1")).ShouldBe(HttpStatusCode.OK);
        version["sizeBytes"]!.GetValue<long>().ShouldBe(bytes.Length);
        version["fileName"]!.GetValue<string>().ShouldBe("v1.csv");
        var columns = version["columns"]!.AsArray();
        columns.Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["case_id", "age", "sex", "score", "label"]);
        columns.Select(c => c!["type"]!.GetValue<string>()).ShouldBe(["Text", "Integer", "Text", "Number", "Integer"]);
        columns.Select(c => c!["missingCount"]!.GetValue<int>()).ShouldBe([0, 1, 0, 1, 0]);

        var history = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Count.ShouldBe(2);
        var uploaded = history[1]!;
        uploaded["type"]!.GetValue<string>().ShouldBe("dataset_version_uploaded");
        uploaded["actor"]!.GetValue<string>().ShouldBe("steward");
        uploaded["reason"]!.GetValue<string>().ShouldBe("first release");
        uploaded["data"]!["sha256"]!.GetValue<string>().ShouldBe(expectedSha);
    }

    [Fact]
    public async Task identical_bytes_uploaded_twice_are_stored_once_and_read_back_verified()
    {
        var id = await Register();
        var bytes = Encoding.UTF8.GetBytes(Csv);

        var first = await (await Steward.Http.PostFile($"/api/datasets/{id}/versions", bytes)).ShouldBe(HttpStatusCode.Created);
        var second = await (await Steward.Http.PostFile($"/api/datasets/{id}/versions", bytes)).ShouldBe(HttpStatusCode.Created);

        first["contentAlreadyStored"]!.GetValue<bool>().ShouldBeFalse();
        second["contentAlreadyStored"]!.GetValue<bool>().ShouldBeTrue();
        second["version"]!.GetValue<int>().ShouldBe(2);
        await using var session = Fixture.Store.QuerySession();
        (await BlobStore.CountAsync(session, default)).ShouldBe(1);
        (await BlobStore.ReadAsync(session, first["sha256"]!.GetValue<string>(), default)).ShouldBe(bytes);
    }

    [Fact]
    public async Task versions_are_listed_in_order()
    {
        var id = await Register();
        await Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv));
        await Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv + "c4,70,M,0.5,1\n"));

        var versions = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
        versions.Select(v => v!["version"]!.GetValue<int>()).ShouldBe([1, 2]);
        versions.Select(v => v!["rowCount"]!.GetValue<int>()).ShouldBe([3, 4]);

        var list = (await (await Steward.Http.GetAsync("/api/datasets")).ShouldBe(HttpStatusCode.OK)).AsArray();
        list.Single()!["versionCount"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_conflict_and_changes_nothing()
    {
        var id = await Register();
        await (await Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv))).ShouldBe(HttpStatusCode.Created);
        var count = await Fixture.EventCountAsync();

        // The client last read the stream at version 1 (registration only); it is now at 2.
        var response = await Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv),
            fields: new Dictionary<string, string> { ["expectedVersion"] = "1" });

        await response.ShouldBeProblem(HttpStatusCode.Conflict);
        (await Fixture.EventCountAsync()).ShouldBe(count);
    }

    [Fact]
    public async Task the_version_a_client_read_is_accepted_as_expected_version()
    {
        var id = await Register();
        var read = await (await Steward.Http.GetAsync($"/api/datasets/{id}")).ShouldBe(HttpStatusCode.OK);
        read["version"]!.GetValue<long>().ShouldBe(1);

        await (await Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv),
            fields: new Dictionary<string, string> { ["expectedVersion"] = "1" })).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task concurrent_uploads_to_one_dataset_never_lose_or_duplicate_a_version()
    {
        var id = await Register();
        var uploads = Enumerable.Range(0, 6).Select(i =>
            Steward.Http.PostFile($"/api/datasets/{id}/versions", Encoding.UTF8.GetBytes(Csv + $"extra{i},1,F,0.3,1\n")));
        var responses = await Task.WhenAll(uploads);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await conflict.ShouldBeProblem(HttpStatusCode.Conflict);
        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        var versions = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
        versions.Select(v => v!["version"]!.GetValue<int>()).ShouldBe(Enumerable.Range(1, created));
    }
}
