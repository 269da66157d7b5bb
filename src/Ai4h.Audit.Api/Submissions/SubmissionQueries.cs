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

/// <summary>Where a submission's audit stands: none yet, open, signed off; and the regulator's decision in force.</summary>
public sealed record AuditStatus(Guid? AuditId, string Stage, Domain.Audits.DecisionOutcome? Decision);

/// <summary>One version of a model in its lineage, with every evaluation it has had and its audit status.</summary>
public sealed record SubmissionVersion(Guid Id, string ModelVersion, string ModelSha256, int BenchmarkVersion, Guid? PreviousSubmissionId,
    IReadOnlyList<Evaluations.EvaluationSummary> Evaluations, AuditStatus Audit);

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

    [EndpointSummary("A model's submission history: every version the developer submitted of it, each with its evaluations")]
    [WolverineGet("/api/submissions/{submissionId}/lineage", Name = "GetSubmissionLineage")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<SubmissionVersion>> Lineage(Guid submissionId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var submission = await Get(submissionId, user, session, ct);
        var byId = (await session.Query<Submission>().Where(s => s.DeveloperId == submission.DeveloperId).ToListAsync(ct)).ToDictionary(s => s.Id);

        // Walk back to the first version, then forward along the links (a version names the one it follows).
        var first = submission;
        while (first.PreviousSubmissionId is { } p && byId.TryGetValue(p, out var previous)) first = previous;
        var chain = new List<Submission> { first };
        while (byId.Values.FirstOrDefault(s => s.PreviousSubmissionId == chain[^1].Id) is { } next) chain.Add(next);

        var ids = chain.Select(s => s.Id).ToArray();
        var evaluations = (await session.Query<Domain.Evaluations.Evaluation>().Where(e => e.SubmissionId.In(ids)).ToListAsync(ct))
            .ToLookup(e => e.SubmissionId);
        var audits = (await session.Query<Domain.Audits.SubmissionAudit>().Where(a => a.SubmissionId.In(ids)).ToListAsync(ct))
            .ToDictionary(a => a.SubmissionId);
        return chain.Select(s => new SubmissionVersion(s.Id, s.Manifest.ModelVersion, s.ModelSha256, s.BenchmarkVersion, s.PreviousSubmissionId,
            evaluations[s.Id].OrderBy(e => e.Id).Select(Evaluations.EvaluationQueries.Summary).ToList(), StatusOf(audits.GetValueOrDefault(s.Id)))).ToList();
    }

    internal static AuditStatus StatusOf(Domain.Audits.SubmissionAudit? audit) => audit is null
        ? new AuditStatus(null, "not audited", null)
        : new AuditStatus(audit.Id, audit.Completed ? "signed off" : "open", audit.CurrentDecision?.Outcome);

    /// <summary>A user who is only a model developer sees their own work only.</summary>
    private static bool OnlyOwn(Actor actor) => !actor.HasAnyRole(RoleSets.SubmissionAssessors);
}
