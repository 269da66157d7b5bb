using System.Net;
using System.Text;
using Ai4h.Audit.Api;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Tests.Datasets;
using Ai4h.Audit.Tests.Infrastructure;
using Marten;

namespace Ai4h.Audit.Tests.Record;

public sealed class ConcurrencyTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task the_second_of_two_writers_that_read_the_same_version_is_refused_and_reported_as_409()
    {
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        var id = created["datasetId"]!.GetValue<Guid>();
        var bytes = Encoding.UTF8.GetBytes(DatasetsApiTests.Csv);

        await using var first = Fixture.Store.LightweightSession();
        await using var second = Fixture.Store.LightweightSession();
        first.LastModifiedBy = second.LastModifiedBy = "tester";
        var a = await first.Events.FetchForWriting<Dataset>(id);
        var b = await second.Events.FetchForWriting<Dataset>(id);
        a.AppendOne(DatasetDecisions.UploadVersion(a.Aggregate!, "a.csv", bytes, null));
        b.AppendOne(DatasetDecisions.UploadVersion(b.Aggregate!, "b.csv", bytes, null));

        await first.SaveChangesAsync();
        var error = await Should.ThrowAsync<Exception>(() => second.SaveChangesAsync());

        RecordExceptionHandler.Classify(error).Status.ShouldBe(409);
        var versions = (await (await Steward.Http.GetAsync($"/api/datasets/{id}/versions")).ShouldBe(HttpStatusCode.OK)).AsArray();
        versions.Single()!["fileName"]!.GetValue<string>().ShouldBe("a.csv"); // the first write stands, nothing overwritten
    }

    [Fact]
    public async Task a_client_supplied_time_is_refused_and_the_server_time_recorded()
    {
        // Unknown members are refused (docs/reliability.md), so a client cannot even try to set the time.
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var events = await Fixture.EventCountAsync();
        var problem = await (await Steward.Http.PostRaw("/api/datasets", """
            {"name":"n","description":"d","owner":"o","intendedUse":"u","licence":"l","modality":"m","task":"t",
             "timestamp":"2001-01-01T00:00:00Z","recordedAt":"2001-01-01T00:00:00Z"}
            """)).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["detail"]!.GetValue<string>().ShouldContain("timestamp");
        (await Fixture.EventCountAsync()).ShouldBe(events);

        var created = await (await Steward.Http.PostRaw("/api/datasets", """
            {"name":"n","description":"d","owner":"o","intendedUse":"u","licence":"l","modality":"m","task":"t"}
            """)).ShouldBe(HttpStatusCode.Created);
        var history = (await (await Steward.Http.GetAsync($"{created["url"]}/history")).ShouldBe(HttpStatusCode.OK)).AsArray();
        history.Single()!["recordedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(before);
    }
}
