using System.Net;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Tests.Dossiers;
using Ai4h.Audit.Tests.Evaluations;
using Ai4h.Audit.Tests.Infrastructure;
using Npgsql;

namespace Ai4h.Audit.Tests.Reliability;

/// <summary>
/// A real record to attack: the WDBC hold-out benchmark, a developer's submission evaluated, audited, signed off and
/// approved (<see cref="AuditedSubmission"/>), a rival developer's own submission, and an administrator. Built once
/// per test class (seeding runs an evaluation), then only read: every bad request must leave it as it was.
/// </summary>
public sealed class SeededRecord
{
    public required AuditedSubmission Audited { get; init; }
    public required TestUser Steward, Rival, Admin;
    public required Guid DatasetId, RivalSubmissionId, TemplateId;

    /// <summary>Every submission's dossier hash right after seeding.</summary>
    public IReadOnlyDictionary<Guid, string> Dossiers { get; private set; } = new Dictionary<Guid, string>();

    public TestUser Lead => Audited.Lead;
    public TestUser DataAuditor => Audited.DataAuditor;
    public TestUser AiMlAuditor => Audited.AiMlAuditor;
    public TestUser Regulator => Audited.Regulator;
    public TestUser Developer => Audited.Developer;
    public Guid SubmissionId => Audited.SubmissionId;
    public Guid EvaluationId => Audited.EvaluationId;
    public Guid AuditId => Audited.AuditId;
    public Guid BenchmarkId => Audited.BenchmarkId;

    public static async Task<SeededRecord> CreateAsync(ApiFixture fixture)
    {
        await fixture.ResetAsync();
        var steward = await fixture.CreateUserAsync("steward", Role.DataSteward);
        var audited = await AuditedSubmission.CreateAsync(fixture, steward);
        var rival = await fixture.CreateUserAsync("rival", Role.ModelDeveloper);
        var admin = await fixture.CreateUserAsync("admin", Role.Administrator);
        var rivalSubmission = await EvaluationTestData.SubmitAsync(rival, audited.BenchmarkId);
        var benchmark = await (await steward.Http.GetAsync($"/api/benchmarks/{audited.BenchmarkId}")).ShouldBe(HttpStatusCode.OK);
        var datasetId = benchmark["definition"]!["datasetId"]!.GetValue<Guid>();
        var audit = await (await audited.Lead.Http.GetAsync(audited.AuditUrl)).ShouldBe(HttpStatusCode.OK);

        // The Runner verifies the uploaded test data asynchronously, into the data set's stream, which the dossier
        // includes: wait for it, so that the dossier hashes below are final.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await (await steward.Http.GetAsync($"/api/datasets/{datasetId}/versions/1")).ShouldBe(HttpStatusCode.OK))["verification"]!
               .GetValue<string>() != "Verified")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the Runner did not verify the seeded test data");
            await Task.Delay(200);
        }

        var record = new SeededRecord
        {
            Audited = audited, Steward = steward, Rival = rival, Admin = admin, DatasetId = datasetId, RivalSubmissionId = rivalSubmission,
            TemplateId = audit["templateId"]!.GetValue<Guid>(),
        };
        record.Dossiers = await record.DossierHashesAsync();
        return record;
    }

    /// <summary>The current content hash of every seeded submission's dossier (read by the lead, who may read all).</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> DossierHashesAsync()
    {
        var hashes = new Dictionary<Guid, string>();
        foreach (var id in new[] { SubmissionId, RivalSubmissionId })
            hashes[id] = (await (await Lead.Http.GetAsync($"/api/submissions/{id}/dossier")).ShouldBe(HttpStatusCode.OK))["contentSha256"]!.GetValue<string>();
        return hashes;
    }

    /// <summary>The events appended after <paramref name="sequence"/> by requests (the Runner's own verdicts left out).</summary>
    public static async Task<IReadOnlyList<(long Sequence, string Type, Guid StreamId, string? UserName)>> EventsAfterAsync(ApiFixture fixture, long sequence)
    {
        await using var conn = new NpgsqlConnection(fixture.Connections.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select seq_id, type, stream_id, user_name from ai4h.mt_events where seq_id > @s and user_name is distinct from 'system:runner' order by seq_id", conn);
        cmd.Parameters.AddWithValue("s", sequence);
        var events = new List<(long, string, Guid, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return events;
    }

    public static Task<long> LastSequenceAsync(ApiFixture fixture) => fixture.ScalarAsync("select coalesce(max(seq_id), 0) from ai4h.mt_events");
}

/// <summary>Holds the <see cref="SeededRecord"/> for one test class (xunit creates the class anew for every case).</summary>
public sealed class SeededRecordHolder
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SeededRecord? _record;

    public async Task<SeededRecord> GetAsync(ApiFixture fixture)
    {
        await _gate.WaitAsync();
        try { return _record ??= await SeededRecord.CreateAsync(fixture); }
        finally { _gate.Release(); }
    }
}
