using System.Security.Claims;
using Ai4h.Audit.Api.History;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Evaluations;

/// <summary>An evaluation in a list: where it is and how it ended.</summary>
public sealed record EvaluationSummary(Guid Id, Guid SubmissionId, int BenchmarkVersion, EvaluationStatus Status, int Attempt,
    int CasesDone, int CasesTotal, bool? Passed, string? FailureReason, long StreamVersion);

/// <summary>
/// Evaluations are visible to whoever may see their submission: developers their own, assessors all. The per-case
/// predictions name sequestered cases and are for assessors only.
/// </summary>
public static class EvaluationQueries
{
    [EndpointSummary("Read an evaluation: status, progress (cases done of total), and once completed its metrics, verdicts and provenance")]
    [WolverineGet("/api/evaluations/{evaluationId}", Name = "GetEvaluation")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<Evaluation> Get(Guid evaluationId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var evaluation = await session.LoadAsync<Evaluation>(evaluationId, ct)
            ?? throw DecisionRejected.NotFound($"evaluation {evaluationId} does not exist");
        await SubmissionQueries.Get(evaluation.SubmissionId, user, session, ct);
        return evaluation;
    }

    [EndpointSummary("List a submission's evaluations, oldest first")]
    [WolverineGet("/api/submissions/{submissionId}/evaluations", Name = "ListSubmissionEvaluations")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<EvaluationSummary>> ForSubmission(Guid submissionId, ClaimsPrincipal user, IQuerySession session,
        CancellationToken ct)
    {
        await SubmissionQueries.Get(submissionId, user, session, ct);
        var evaluations = await session.Query<Evaluation>().Where(e => e.SubmissionId == submissionId).ToListAsync(ct);
        // Version-7 ids grow with time, so ordering by id is ordering by request.
        return evaluations.OrderBy(e => e.Id).Select(Summary).ToList();
    }

    [EndpointSummary("An evaluation's history: request, attempts, progress and outcome, with who and when")]
    [WolverineGet("/api/evaluations/{evaluationId}/history", Name = "GetEvaluationHistory")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<IReadOnlyList<RecordedEvent>> History(Guid evaluationId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        await Get(evaluationId, user, session, ct);
        return await StreamHistory.ReadAsync(session, evaluationId, ct);
    }

    [EndpointSummary("Download an evaluation's per-case predictions (CSV: case id and the model's raw outputs), checked against their recorded SHA-256")]
    [WolverineGet("/api/evaluations/{evaluationId}/predictions", Name = "GetEvaluationPredictions")]
    [Authorize(Roles = RoleSets.PredictionReaders)]
    public static async Task<IResult> Predictions(Guid evaluationId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var evaluation = await Get(evaluationId, user, session, ct);
        var sha = evaluation.Provenance?.PredictionsSha256
            ?? throw DecisionRejected.Conflict($"evaluation {evaluationId} is {evaluation.Status.ToString().ToLowerInvariant()}; it has no predictions");
        var bytes = await BlobStore.ReadAsync(session, sha, ct) ?? throw new BlobIntegrityException(sha, "nothing (the stored bytes are missing)");
        return Results.File(bytes, "text/csv", $"evaluation-{evaluationId:N}-predictions.csv");
    }

    internal static EvaluationSummary Summary(Evaluation e) => new(e.Id, e.SubmissionId, e.BenchmarkVersion, e.Status, e.Attempt,
        e.CasesDone, e.CasesTotal, e.Passed, e.FailureReason, e.Version);
}
