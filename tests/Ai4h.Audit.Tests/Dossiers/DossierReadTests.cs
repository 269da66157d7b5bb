using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ai4h.Audit.Api.Dossiers;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Audits;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;
using Marten;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>
/// The dossier's own read path (one statement that finds the streams and reads their events, decoded by
/// <see cref="StreamReads"/>; the hash written by source-generated JSON) against Marten's general one: the same
/// streams as Marten's LINQ finds, the same events as <c>FetchStreamAsync</c> gives, the same bytes as the
/// reflection-based serializer writes.
/// </summary>
public sealed class DossierReadTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task the_dossier_finds_the_streams_marten_finds_reads_the_events_marten_reads_and_hashes_the_bytes_it_shows()
    {
        var reference = await ReferenceStandardData.CreateAsync(Fixture, Steward);
        var benchmark = (await (await Steward.Http.PostJson("/api/benchmarks", reference.Benchmark())).ShouldBe(HttpStatusCode.Created))["benchmarkId"]!.GetValue<Guid>();
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward, benchmark);
        // A second evaluation of the same submission: the dossier lists both.
        var second = await EvaluationTestData.WaitFor(s.Developer, await EvaluationTestData.RequestAsync(s.Developer, s.SubmissionId), EvaluationTestData.IsFinished);

        await using var session = Fixture.Store.QuerySession();
        // The streams, as Marten's LINQ over the stored aggregates finds them.
        var submission = (await session.LoadAsync<Submission>(s.SubmissionId))!;
        var pinned = (await session.LoadAsync<Benchmark>(submission.Manifest.BenchmarkId))!.Versions.Single(v => v.Version == submission.BenchmarkVersion).Definition;
        List<Guid> expected =
        [
            s.SubmissionId, submission.Manifest.BenchmarkId, pinned.DatasetId,
            .. await session.Query<Evaluation>().Where(e => e.SubmissionId == s.SubmissionId).Select(e => e.Id).ToListAsync(),
            .. await session.Query<SubmissionAudit>().Where(a => a.SubmissionId == s.SubmissionId).Select(a => a.Id).ToListAsync(),
            .. await session.Query<AnnotationCampaign>().Where(c => c.DatasetId == pinned.DatasetId && c.ReferenceVersion == pinned.DatasetVersion)
                .Select(c => c.Id).ToListAsync(),
        ];
        expected.Count.ShouldBe(7); // submission, benchmark, data set, two evaluations, audit, campaign
        var read = await StreamReads.ReadAsync(session, DossierStreams.IdsSql(session), [s.SubmissionId], CancellationToken.None);
        read.Keys.Order().ShouldBe(expected.Order());

        // Each stream's events, as Marten's FetchStreamAsync decodes them: envelope and data alike.
        var serializer = Fixture.Store.Options.Serializer();
        foreach (var (streamId, events) in read)
        {
            var marten = await session.Events.FetchStreamAsync(streamId);
            events.Count.ShouldBe(marten.Count);
            foreach (var (ours, theirs) in events.Zip(marten))
            {
                (ours.Id, ours.Sequence, ours.Version, ours.StreamId, ours.Timestamp, ours.EventTypeName, ours.DotNetTypeName, ours.UserName,
                        ours.CorrelationId, ours.CausationId)
                    .ShouldBe((theirs.Id, theirs.Sequence, theirs.Version, theirs.StreamId, theirs.Timestamp, theirs.EventTypeName, theirs.DotNetTypeName,
                        theirs.UserName, theirs.CorrelationId, theirs.CausationId));
                ours.Data.GetType().ShouldBe(theirs.Data.GetType());
                serializer.ToJson(ours.Data).ShouldBe(serializer.ToJson(theirs.Data));
            }
        }

        // The dossier's bytes: the generated serializer writes what the reflection-based one with the same options writes,
        // and the hash is of exactly those bytes.
        var dossier = await DossierEndpoints.BuildAsync(session, s.SubmissionId, null, null, CancellationToken.None);
        (dossier.Evaluations.Count, dossier.ReferenceStandards.Count, dossier.Audit!.AllDecisions.Count).ShouldBe((2, 1, 1));
        dossier.Evaluations.Select(e => e.Id).ShouldContain(second["id"]!.GetValue<Guid>());
        var unhashed = dossier with { ContentSha256 = "" };
        var generated = JsonSerializer.SerializeToUtf8Bytes(unhashed, DossierJson.Default.Dossier);
        var reflected = JsonSerializer.SerializeToUtf8Bytes(unhashed,
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } });
        generated.ShouldBe(reflected);
        Sha256.Hex(generated).ShouldBe(dossier.ContentSha256);
        var api = await (await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/dossier")).ShouldBe(HttpStatusCode.OK);
        api["contentSha256"]!.GetValue<string>().ShouldBe(dossier.ContentSha256);
        api["format"]!.GetValue<string>().ShouldBe("ai4h.dossier/1"); // what the hash is over: the first thing a reader sees
    }

    [Fact]
    public async Task a_stored_aggregate_that_lost_its_link_to_the_test_data_changes_nothing_the_events_still_name_it()
    {
        var reference = await ReferenceStandardData.CreateAsync(Fixture, Steward);
        var benchmark = (await (await Steward.Http.PostJson("/api/benchmarks", reference.Benchmark())).ShouldBe(HttpStatusCode.Created))["benchmarkId"]!.GetValue<Guid>();
        var dev = await Fixture.CreateUserAsync("dev", Domain.Identity.Role.ModelDeveloper);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, benchmark);
        var url = $"/api/submissions/{submissionId}/dossier";
        var before = await (await dev.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        before["referenceStandards"]!.AsArray().Count.ShouldBe(1);

        // Behind the application's back, the benchmark's stored document forgets its versions: the lookup of the test data
        // finds nothing, and the dossier reads the test data's streams as the benchmark's events name them.
        (await Fixture.ScalarAsync($"""
            with changed as (update ai4h.mt_doc_benchmark set data = jsonb_set(data, '{"{Versions}"}', '[]') where id = '{benchmark}' returning 1)
            select count(*) from changed
            """)).ShouldBe(1);
        var after = await (await dev.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        after["contentSha256"]!.GetValue<string>().ShouldBe(before["contentSha256"]!.GetValue<string>());
        after["testData"]!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task an_event_whose_stored_type_was_altered_is_refused_by_name_and_no_other_type_is_instantiated()
    {
        var dev = await Fixture.CreateUserAsync("dev", Domain.Identity.Role.ModelDeveloper);
        var submissionId = await EvaluationTestData.SubmitAsync(dev, await EvaluationTestData.DefineHoldOutBenchmark(Steward, cases: 40));
        var url = $"/api/submissions/{submissionId}/dossier";
        await (await dev.Http.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        var sequence = await Fixture.ScalarAsync($"select seq_id from ai4h.mt_events where stream_id = '{submissionId}' and type = 'model_submitted'");

        async Task<string> DossierWithStoredType(string dotNetType)
        {
            (await Fixture.ScalarAsync($"""
                with altered as (update ai4h.mt_events set mt_dotnet_type = '{dotNetType}' where seq_id = {sequence} returning 1) select count(*) from altered
                """)).ShouldBe(1);
            var problem = await (await dev.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.InternalServerError);
            problem["title"]!.GetValue<string>().ShouldBe("Stored event failed its integrity check");
            return problem["detail"]!.GetValue<string>();
        }

        // A type from outside the domain is never loaded; another domain event type does not match the stored alias.
        (await DossierWithStoredType("System.Diagnostics.Process, System.Diagnostics.Process"))
            .ShouldBe($"The event at sequence {sequence} cannot be read: 'model_submitted' names the .NET type 'System.Diagnostics.Process, System.Diagnostics.Process', which is not an event type of this build's domain.");
        (await DossierWithStoredType("Ai4h.Audit.Domain.Submissions.DossierExported, Ai4h.Audit.Domain"))
            .ShouldBe($"The event at sequence {sequence} cannot be read: it is stored as 'model_submitted', but its .NET type is named 'dossier_exported'.");
        await DossierWithStoredType("Ai4h.Audit.Domain.Submissions.NoSuchEvent, Ai4h.Audit.Domain");
    }
}
