using System.Security.Claims;
using Ai4h.Audit.Api.Benchmarks;
using Ai4h.Audit.Api.Ledger;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Ledger;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>
/// The whole record of one submission for someone outside the platform to check (docs/ledger.md, "Submission records"):
/// every event of every stream its dossier draws on, up to a signed checkpoint, each with its inclusion proof, and the
/// artefacts those events name. The offline verifier checks it without a database.
/// </summary>
public static class SubmissionRecordEndpoint
{
    [EndpointSummary("Export a submission's whole record as JSON lines (events with inclusion proofs against a signed checkpoint, and artefacts); the export is recorded")]
    [EndpointDescription("The record covers the latest signed checkpoint (or treeSize). The model and the per-case predictions travel as bytes; the " +
                         "sequestered test data only with includeTestData=true for those who may read it, and then with a purpose, recorded as a read.")]
    [WolverineGet("/api/submissions/{submissionId}/record", Name = "ExportSubmissionRecord")]
    [Authorize(Roles = RoleSets.SubmissionAssessors)]
    public static async Task<IResult> Export(Guid submissionId, long? treeSize, bool? includeTestData, string? purpose, ClaimsPrincipal user,
        IDocumentSession session, LedgerService ledger, CancellationToken ct)
    {
        if (purpose is { Length: > 500 }) throw DecisionRejected.Invalid("purpose", "must be at most 500 characters");
        var actor = Actor.From(user);
        var withTestData = includeTestData == true;
        if (withTestData && actor.RoleIn(RoleSets.SequesteredReaders) is null)
            throw new AccessForbidden("the sequestered test data may be read only by data stewards, auditors and audit leads",
                [Domain.Identity.Role.DataSteward, Domain.Identity.Role.Auditor, Domain.Identity.Role.AuditLead]);
        if (withTestData && string.IsNullOrWhiteSpace(purpose))
            throw DecisionRejected.Invalid("purpose", "say why you take the sequestered test data out of the platform; it is recorded");
        await SubmissionQueries.Get(submissionId, user, session, ct);

        var checkpoint = treeSize is { } size
            ? await ledger.CheckpointAtAsync(size, ct) ?? throw DecisionRejected.NotFound($"no checkpoint of tree size {size} was signed")
            : await ledger.LatestCheckpointAsync(ct) ?? throw DecisionRejected.NotFound("no checkpoint has been signed yet; ask for one (POST /api/ledger/checkpoints)");

        await using var conn = ledger.Connection();
        await conn.OpenAsync(ct);
        var leaves = await LedgerCheck.ReadLeavesAsync(conn, ledger.Schema, checkpoint.TreeSize, ct);
        var through = leaves[^1].Sequence;
        var leafIndex = leaves.ToDictionary(l => l.Sequence, l => l.Index);
        // The dossier as of the checkpoint names the streams; the record holds all their events up to it, exports included.
        var dossier = await DossierEndpoints.BuildAsync(session, submissionId, through, null, ct);
        var stored = await LedgerEvents.ReadStreamsAsync(conn, ledger.Schema, dossier.Events.Select(e => e.StreamId).Distinct().ToList(), through, ct);
        var proofs = await ledger.ReadAsync(log => stored.Select(e => log.InclusionProof(leafIndex[e.Sequence], checkpoint.TreeSize)
            .Select(Convert.ToHexStringLower).ToList()).ToList(), ct);
        var events = stored.Select((e, i) =>
        {
            var entry = LedgerBundleEntry.ForEvent(e.Sequence, e.StreamId, e.StreamVersion, e.EventType, e.Timestamp, e.Actor, e.Data, e.EventId);
            return new SubmissionRecordEvent(leafIndex[e.Sequence], LedgerEndpoints.RedactedEventTypes.Contains(e.EventType) ? entry.Redacted() : entry, proofs[i]);
        }).ToList();

        // Read (and so integrity-check) every artefact before anything is recorded or sent.
        var blobs = new List<SubmissionRecordBlob> { await BlobAsync(session, dossier.Submission.ModelSha256, "model", ct) };
        foreach (var evaluation in dossier.Evaluations)
            if (evaluation.Provenance?.PredictionsSha256 is { } predictions && blobs.All(b => b.Sha256 != predictions))
                blobs.Add(await BlobAsync(session, predictions, $"per-case predictions of evaluation {evaluation.Id}", ct));
        if (dossier.TestData is { } testData && dossier.Benchmark is { } benchmark)
        {
            if (withTestData)
            {
                var definition = benchmark.Definition;
                session.Events.Append(dossier.Submission.Manifest.BenchmarkId,
                    new SequesteredDataRead(dossier.Submission.Manifest.BenchmarkId, benchmark.Version, definition.DatasetId, definition.DatasetVersion,
                        testData.Sha256, SequesteredContent.FullTestSet, purpose!.Trim(), actor.UserId, actor.RoleIn(RoleSets.SequesteredReaders)!.Value.ToString()));
                blobs.Add(await BlobAsync(session, testData.Sha256, "test data", ct));
            }
            else blobs.Add(new SubmissionRecordBlob(testData.Sha256, "test data", Withheld: "sequestered test data; exported only with includeTestData by those who may read it"));
        }

        var header = new SubmissionRecordHeader
        {
            Format = SubmissionRecordHeader.CurrentFormat,
            SubmissionId = submissionId,
            Origin = ledger.Settings.Origin,
            Checkpoint = checkpoint.Note,
            VerifierKey = (ledger.Signer ?? throw new LedgerNotSigning()).VerifierKey,
            ThroughSequence = through,
            DossierSha256 = dossier.ContentSha256,
            Events = events.Count,
            Blobs = blobs.Count,
        };
        // Recorded and committed before a byte is sent, like every other export.
        session.Events.Append(submissionId, new DossierExported(submissionId, "record", through, dossier.ContentSha256,
            string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim()));
        await session.SaveChangesAsync(ct);

        var lines = new[] { new SubmissionRecordLine(Header: header) }
            .Concat(events.Select(e => new SubmissionRecordLine(Event: e)))
            .Concat(blobs.Select(b => new SubmissionRecordLine(Blob: b)));
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            foreach (var line in lines) await writer.WriteAsync(line.ToJson() + "\n");
        }, "application/x-ndjson", $"record-{submissionId:N}-seq{through}.jsonl");
    }

    private static async Task<SubmissionRecordBlob> BlobAsync(IQuerySession session, string sha256, string role, CancellationToken ct)
    {
        var bytes = await BlobStore.ReadAsync(session, sha256, ct) ?? throw new BlobIntegrityException(sha256, "nothing (the stored bytes are missing)");
        return new SubmissionRecordBlob(sha256, role, Convert.ToBase64String(bytes));
    }
}
