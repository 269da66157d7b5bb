using System.Net;
using System.Text.Json;
using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Tests.Infrastructure;

namespace Ai4h.Audit.Tests.Dossiers;

/// <summary>
/// A submission's whole record leaves the platform as JSON lines that anyone holding the log's public key can check
/// offline: every event proven into a signed checkpoint, every artefact matched to the hash an event names.
/// </summary>
public sealed class SubmissionRecordTests(ApiFixture fixture) : ApiTest(fixture)
{
    private LedgerService Ledger => Fixture.Host.Services.GetRequiredService<LedgerService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Ledger.ReloadAsync(CancellationToken.None);
    }

    private async Task<StoredCheckpoint> SequenceAndCheckpointAsync(TestUser regulator)
    {
        var sequencer = Fixture.Host.Services.GetRequiredService<LedgerSequencer>();
        while (await sequencer.SequenceOnceAsync(CancellationToken.None) > 0) { }
        return (await (await regulator.Http.PostAsync("/api/ledger/checkpoints", null)).ShouldBe(HttpStatusCode.Created)).Deserialize<StoredCheckpoint>(Http.Json)!;
    }

    [Fact]
    public async Task the_whole_record_of_a_submission_exports_as_json_lines_that_the_offline_verifier_checks_and_any_change_fails()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        var url = $"/api/submissions/{s.SubmissionId}/record";
        await (await s.Regulator.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.NotFound); // no checkpoint yet
        var checkpoint = await SequenceAndCheckpointAsync(s.Regulator);

        var response = await s.Regulator.Http.GetAsync($"{url}?purpose=Inspection");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        var key = Ledger.Signer!.VerifierKey;
        var report = SubmissionRecordVerifier.Verify(lines, key);
        report.Ok.ShouldBeTrue(report.Message);
        report.TreeSize.ShouldBe(checkpoint.TreeSize);

        // It holds every event of every stream the dossier draws on, up to the checkpoint, and names the dossier as of then.
        var header = SubmissionRecordLine.Parse(lines[0]).Header!;
        var dossier = await (await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/dossier?asOfSequence={header.ThroughSequence}")).ShouldBe(HttpStatusCode.OK);
        header.DossierSha256.ShouldBe(dossier["contentSha256"]!.GetValue<string>());
        var streams = dossier["events"]!.AsArray().Select(e => e!["streamId"]!.GetValue<Guid>()).Distinct().ToList();
        var stored = await Fixture.ScalarAsync(
            $"select count(*) from ai4h.mt_events where seq_id <= {header.ThroughSequence} and stream_id in ({string.Join(",", streams.Select(id => $"'{id}'"))})");
        header.Events.ShouldBe((int)stored);
        var parsed = lines.Where(l => l.Length > 0).Select(SubmissionRecordLine.Parse).ToList();
        parsed.Where(l => l.Event is not null).Select(l => l.Event!.Entry.EventId).ShouldContain(dossier["events"]!.AsArray()[^1]!["eventId"]!.GetValue<Guid>());
        // The model and the predictions travel as bytes; the sequestered test data only as its hash.
        var blobs = parsed.Where(l => l.Blob is not null).Select(l => l.Blob!).ToList();
        blobs.Select(b => b.Role).ShouldBe(["model", $"per-case predictions of evaluation {s.EvaluationId}", "test data"]);
        Sha256.Hex(Convert.FromBase64String(blobs[0].ContentBase64!)).ShouldBe(dossier["submission"]!["modelSha256"]!.GetValue<string>());
        (blobs[2].ContentBase64, blobs[2].Withheld).ShouldSatisfyAllConditions(() => blobs[2].ContentBase64.ShouldBeNull(), () => blobs[2].Withheld.ShouldNotBeNullOrEmpty());

        // The export is on the record, with who took it and why.
        var exported = (await (await s.Regulator.Http.GetAsync($"/api/submissions/{s.SubmissionId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray()
            .Last(e => e!["type"]!.GetValue<string>() == "dossier_exported")!;
        (exported["actor"]!.GetValue<string>(), exported["data"]!["format"]!.GetValue<string>(), exported["data"]!["purpose"]!.GetValue<string>())
            .ShouldBe(("regulator", "record", "Inspection"));

        // Whatever is changed in the file, the verifier says where.
        string[] Changed(Func<SubmissionRecordLine, SubmissionRecordLine?> change) =>
            [lines[0], .. parsed.Skip(1).Select(change).Where(l => l is not null).Select(l => l!.ToJson())];
        var decision = parsed.First(l => l.Event?.Entry.EventType == "decision_recorded").Event!;
        var forgedDecision = SubmissionRecordVerifier.Verify(Changed(l => l.Event == decision
            ? l with { Event = decision with { Entry = decision.Entry with { Data = decision.Entry.Data!.Replace("Approved", "Rejected") } } } : l), key);
        (forgedDecision.Ok, forgedDecision.FirstBadSequence).ShouldBe((false, decision.Entry.Sequence), forgedDecision.Message);
        var dropped = SubmissionRecordVerifier.Verify(Changed(l => l.Event == decision ? null : l), key);
        dropped.Ok.ShouldBeFalse();
        dropped.Message.ShouldContain("events were removed");
        var model = blobs[0];
        var swapped = SubmissionRecordVerifier.Verify(Changed(l => l.Blob == model ? l with { Blob = model with { ContentBase64 = Convert.ToBase64String([1, 2, 3]) } } : l), key);
        swapped.Ok.ShouldBeFalse();
        swapped.Message.ShouldContain("the file was altered");
        var otherKey = new CheckpointSigner("someone-else", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).VerifierKey;
        SubmissionRecordVerifier.Verify(lines, otherKey).Ok.ShouldBeFalse();

        // The standalone verifier program reads the same file: exit 0, then 1 once an event is forged.
        var file = Path.Combine(Path.GetTempPath(), $"ai4h-record-{Guid.NewGuid():N}.jsonl");
        try
        {
            await File.WriteAllLinesAsync(file, lines[..^1]);
            var (exit, output) = await Programs.RunAsync("dotnet", RunnerProcess.BuiltProgram("Ai4h.Audit.Verify"), file, "--key", key);
            exit.ShouldBe(0, output);
            output.ShouldStartWith("OK:");
            output.ShouldContain($"submission {s.SubmissionId}");
            await File.WriteAllLinesAsync(file, Changed(l => l.Event == decision
                ? l with { Event = decision with { Entry = decision.Entry with { Actor = "someone else" } } } : l));
            (exit, output) = await Programs.RunAsync("dotnet", RunnerProcess.BuiltProgram("Ai4h.Audit.Verify"), file, "--key", key);
            exit.ShouldBe(1, output);
            output.ShouldContain($"sequence {decision.Entry.Sequence}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task the_test_data_travels_only_to_those_who_may_read_it_with_a_purpose_and_the_read_is_recorded()
    {
        var s = await AuditedSubmission.CreateAsync(Fixture, Steward);
        await SequenceAndCheckpointAsync(s.Regulator);
        var url = $"/api/submissions/{s.SubmissionId}/record";

        await (await s.Regulator.Http.GetAsync($"{url}?includeTestData=true&purpose=Inspection")).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await (await s.DataAuditor.Http.GetAsync($"{url}?includeTestData=true")).ShouldBeProblem(HttpStatusCode.BadRequest))["errors"]!["purpose"].ShouldNotBeNull();
        await (await s.Developer.Http.GetAsync(url)).ShouldBeProblem(HttpStatusCode.Forbidden);

        var lines = (await (await s.DataAuditor.Http.GetAsync($"{url}?includeTestData=true&purpose=Recompute%20the%20metrics")).Content.ReadAsStringAsync()).Split('\n');
        SubmissionRecordVerifier.Verify(lines, Ledger.Signer!.VerifierKey).Ok.ShouldBeTrue();
        var testData = lines.Where(l => l.Length > 0).Select(SubmissionRecordLine.Parse).Single(l => l.Blob?.Role == "test data").Blob!;
        Sha256.Hex(Convert.FromBase64String(testData.ContentBase64!)).ShouldBe(testData.Sha256);

        var reads = (await (await s.Lead.Http.GetAsync($"/api/benchmarks/{s.BenchmarkId}/history")).ShouldBe(HttpStatusCode.OK)).AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "sequestered_data_read").ToList();
        reads.Last()!["data"]!["purpose"]!.GetValue<string>().ShouldBe("Recompute the metrics");
        reads.Last()!["actor"]!.GetValue<string>().ShouldBe("data.auditor");
    }
}
