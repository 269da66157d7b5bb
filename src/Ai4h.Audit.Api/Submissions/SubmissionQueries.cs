using System.Security.Claims;
using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Submissions;

public sealed record SubmissionSummary(Guid Id, string ModelName, string ModelVersion, Guid BenchmarkId, int BenchmarkVersion,
    string ModelSha256, Guid? PreviousSubmissionId);

/// <summary>Developers see only their own submissions; assessors see all.</summary>
public static class SubmissionQueries
{
    [EndpointSummary("List submissions: a developer's own, or all for assessors")]
    [WolverineGet("/api/submissions", Name = "ListSubmissions")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<SubmissionSummary>> List(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var actor = Actor.From(user);
        var query = session.Query<Submission>();
        var all = OnlyOwn(actor)
            ? await query.Where(s => s.DeveloperId == actor.UserId).ToListAsync(ct)
            : await query.ToListAsync(ct);
        return all.OrderBy(s => s.Manifest.ModelName).ThenBy(s => s.Id)
            .Select(s => new SubmissionSummary(s.Id, s.Manifest.ModelName, s.Manifest.ModelVersion, s.Manifest.BenchmarkId,
                s.BenchmarkVersion, s.ModelSha256, s.PreviousSubmissionId)).ToList();
    }

    [EndpointSummary("Read a submission: manifest, model hash and what ONNX Runtime found")]
    [WolverineGet("/api/submissions/{submissionId}", Name = "GetSubmission")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<Submission> Get(Guid submissionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var submission = await session.LoadAsync<Submission>(submissionId, ct)
            ?? throw DecisionRejected.NotFound($"submission {submissionId} does not exist");
        var actor = Actor.From(user);
        if (OnlyOwn(actor) && submission.DeveloperId != actor.UserId)
            throw new AccessForbidden("this submission belongs to another developer", [Role.Auditor, Role.AuditLead, Role.Regulator, Role.DataSteward]);
        return submission;
    }

    [EndpointSummary("A submission's history: every event with who, when and why")]
    [WolverineGet("/api/submissions/{submissionId}/history", Name = "GetSubmissionHistory")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid submissionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await Get(submissionId, user, session, ct);
        return await StreamHistory.ReadAsync(session, submissionId, ct);
    }

    /// <summary>A user who is only a model developer sees their own work only.</summary>
    private static bool OnlyOwn(Actor actor) => !actor.HasAnyRole(RoleSets.SubmissionAssessors);
}
