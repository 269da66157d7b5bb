using System.Net;
using System.Text;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Datasets;
using Ai4h.Audit.Tests.Infrastructure;
using Npgsql;

namespace Ai4h.Audit.Tests.Record;

/// <summary>The application's database role can append and read the record but never alter or remove it.</summary>
public sealed class DatabaseRoleTests(ApiFixture fixture) : ApiTest(fixture)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var created = await (await Steward.Http.PostJson("/api/datasets", DatasetsApiTests.Registration)).ShouldBe(HttpStatusCode.Created);
        await (await Steward.Http.PostFile($"{created["url"]}/versions", Encoding.UTF8.GetBytes(DatasetsApiTests.Csv))).ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("update ai4h.mt_events set data = '{}'::jsonb")]
    [InlineData("update ai4h.mt_events set timestamp = now() - interval '1 day'")]
    [InlineData("delete from ai4h.mt_events")]
    [InlineData("truncate ai4h.mt_events")]
    [InlineData("update ai4h.blobs set content = '\\x00'::bytea")]
    [InlineData("delete from ai4h.blobs")]
    [InlineData("delete from ai4h.mt_streams")]
    [InlineData("drop table ai4h.mt_events")]
    public async Task the_application_role_cannot_alter_the_record(string sql)
    {
        var before = await Fixture.EventCountAsync();
        before.ShouldBeGreaterThan(0);

        await using var conn = new NpgsqlConnection(Fixture.Connections.Application);
        await conn.OpenAsync();
        var error = await Should.ThrowAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());

        error.SqlState.ShouldBeOneOf(PostgresErrorCodes.InsufficientPrivilege);
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task the_application_role_can_append_and_read_events()
    {
        await using var conn = new NpgsqlConnection(Fixture.Connections.Application);
        await conn.OpenAsync();
        var count = (long)(await new NpgsqlCommand(ApiFixture.CountRequestEvents, conn).ExecuteScalarAsync())!;
        count.ShouldBe(await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task events_without_an_actor_are_refused_before_they_reach_the_database()
    {
        var before = await Fixture.EventCountAsync();
        await using var session = Fixture.Store.LightweightSession();
        var id = Guid.NewGuid();
        session.Events.StartStream<Dataset>(id, new DatasetRegistered(id, "n", "d", "o", "u", "l", "m", "t"));

        var error = await Should.ThrowAsync<InvalidOperationException>(() => session.SaveChangesAsync());
        error.Message.ShouldContain("named actor");
        (await Fixture.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task a_stream_must_declare_its_type()
    {
        await using var session = Fixture.Store.LightweightSession();
        session.LastModifiedBy = "tester";
        var id = Guid.NewGuid();
        Should.Throw<Marten.Exceptions.StreamTypeMissingException>(
            () => session.Events.StartStream(id, new DatasetRegistered(id, "n", "d", "o", "u", "l", "m", "t")));
        await session.SaveChangesAsync();
        (await session.Events.FetchStreamStateAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task a_blob_altered_in_the_database_fails_its_integrity_check_on_read()
    {
        await using var query = Fixture.Store.QuerySession();
        var sha = Sha256.Hex(Encoding.UTF8.GetBytes(DatasetsApiTests.Csv));
        (await BlobStore.ReadAsync(query, sha, default)).ShouldNotBeNull();

        // A database administrator (the schema owner) edits the bytes behind the platform's back.
        await using (var owner = new NpgsqlConnection(Fixture.Connections.Owner))
        {
            await owner.OpenAsync();
            await new NpgsqlCommand($"update ai4h.blobs set content = 'tampered'::bytea where sha256 = '{sha}'", owner).ExecuteNonQueryAsync();
        }

        var error = await Should.ThrowAsync<BlobIntegrityException>(() => BlobStore.ReadAsync(query, sha, default));
        error.Message.ShouldContain(sha);
    }
}
