using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Api.Submissions;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Evaluations;

public sealed record RequestEvaluation(string? Reason);

public sealed record EvaluationRequestedResponse(Guid EvaluationId, Guid SubmissionId, int BenchmarkVersion, string DatasetSha256, string Url);

public static class RequestEvaluationEndpoint
{
    [EndpointSummary("Ask for a submission to be evaluated on its benchmark's sequestered test data")]
    [EndpointDescription("Records EvaluationRequested and sends the Runner a durable message in the same transaction. " +
                         "Answers 202 with the evaluation's URL; poll it for progress and results.")]
    [WolverinePost("/api/submissions/{submissionId}/evaluations", Name = "RequestEvaluation")]
    [Authorize(Roles = RoleSets.EvaluationRequesters)]
    [ProducesResponseType<EvaluationRequestedResponse>(202)]
    public static async Task<(IResult, RunEvaluation)> Post(Guid submissionId, RequestEvaluation? command, ClaimsPrincipal user,
        IDocumentSession session, CancellationToken ct)
    {
        var submission = await SubmissionQueries.Get(submissionId, user, session, ct);
        // Two requests for one submission at the same moment: the second waits for the first to commit, then sees
        // its evaluation as unfinished and is refused, rather than both starting one.
        await session.Events.FetchForExclusiveWriting<Submission>(submissionId, ct);
        var benchmark = await session.LoadAsync<Benchmark>(submission.Manifest.BenchmarkId, ct)
            ?? throw DecisionRejected.NotFound($"benchmark {submission.Manifest.BenchmarkId} does not exist");
        var version = benchmark.Versions.Single(v => v.Version == submission.BenchmarkVersion);
        var (data, _) = await Benchmarks.TestData.LoadAsync(session, version.Definition.DatasetId, version.Definition.DatasetVersion, ct);
        var earlier = await session.Query<Evaluation>().Where(e => e.SubmissionId == submissionId).ToListAsync(ct);

        var id = Guid.CreateVersion7();
        var requested = EvaluationDecisions.Request(id, submission, version, benchmark.Id, data, earlier, Actor.From(user).UserId, command?.Reason);
        session.Events.StartStream<Evaluation>(id, requested);
        var url = $"/api/evaluations/{id}";
        return (Results.Accepted(url, new EvaluationRequestedResponse(id, submissionId, requested.BenchmarkVersion, requested.DatasetSha256, url)),
            new RunEvaluation(id));
    }
}
