using System.Security.Claims;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Benchmarks;

public sealed record ChangeLeaderboard(bool Published, string? Reason, long? ExpectedVersion);

/// <summary>One submission on a benchmark's leaderboard: its latest completed evaluation's metrics and verdict.</summary>
public sealed record LeaderboardEntry(Guid SubmissionId, string ModelName, string ModelVersion, string DeveloperOrganisation,
    Guid EvaluationId, int BenchmarkVersion, IReadOnlyDictionary<string, MetricValue> Metrics, bool Passed);

public sealed record Leaderboard(Guid BenchmarkId, bool Published, IReadOnlyList<string> Metrics, IReadOnlyList<LeaderboardEntry> Entries);

/// <summary>
/// Developers see only their own submissions until a benchmark's leaderboard is published; then every developer may
/// compare every evaluated submission on it. Assessors always may.
/// </summary>
public static class LeaderboardEndpoints
{
    [EndpointSummary("Publish or withdraw a benchmark's leaderboard (with the reason)")]
    [WolverinePost("/api/benchmarks/{benchmarkId}/leaderboard/publication", Name = "ChangeLeaderboardPublication")]
    [Authorize(Roles = RoleSets.BenchmarkWriters)]
    public static async Task<IResult> Post(Guid benchmarkId, ChangeLeaderboard command, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Benchmark>(benchmarkId, ct);
        var benchmark = stream.Aggregate ?? throw DecisionRejected.NotFound($"benchmark {benchmarkId} does not exist");
        if (command.ExpectedVersion is { } expected && expected != stream.CurrentVersion)
            throw DecisionRejected.Conflict($"the benchmark's stream is at version {stream.CurrentVersion}, not {expected}; read it again");
        stream.AppendOne(BenchmarkDecisions.ChangeLeaderboard(benchmark, command.Published, command.Reason));
        return Results.Ok(new { benchmarkId, published = command.Published });
    }

    [EndpointSummary("A benchmark's leaderboard: each submission's latest completed evaluation (developers: once published)")]
    [WolverineGet("/api/benchmarks/{benchmarkId}/leaderboard", Name = "GetLeaderboard")]
    [Authorize(Roles = RoleSets.BenchmarkReaders)]
    public static async Task<Leaderboard> Get(Guid benchmarkId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var benchmark = await BenchmarkQueries.Load(session, benchmarkId, ct);
        if (!benchmark.LeaderboardPublished && !Actor.From(user).HasAnyRole(RoleSets.SubmissionAssessors))
            throw new AccessForbidden("this benchmark's leaderboard is not published; developers see only their own submissions",
                [Role.DataSteward, Role.Auditor, Role.AuditLead, Role.Regulator]);

        var submissions = (await session.Query<Submission>().Where(s => s.Manifest.BenchmarkId == benchmarkId).ToListAsync(ct)).ToDictionary(s => s.Id);
        var ids = submissions.Keys.ToArray();
        var completed = await session.Query<Evaluation>()
            .Where(e => e.SubmissionId.In(ids) && e.Status == EvaluationStatus.Completed).ToListAsync(ct);
        var metrics = benchmark.Current.Definition.Metrics;
        var entries = completed.GroupBy(e => e.SubmissionId)
            .Select(g => g.MaxBy(e => e.Id)!) // version-7 ids grow with time: the latest evaluation
            .Select(e =>
            {
                var s = submissions[e.SubmissionId];
                return new LeaderboardEntry(s.Id, s.Manifest.ModelName, s.Manifest.ModelVersion, s.Manifest.DeveloperOrganisation, e.Id,
                    e.BenchmarkVersion, metrics.Where(e.Results!.Metrics.ContainsKey).ToDictionary(m => m, m => e.Results!.Metrics[m]), e.Passed == true);
            })
            // No ranking by a metric: which direction is better differs by metric, and a rank invites over-reading.
            .OrderByDescending(x => x.Passed).ThenBy(x => x.ModelName, StringComparer.Ordinal).ThenBy(x => x.ModelVersion, StringComparer.Ordinal)
            .ToList();
        return new Leaderboard(benchmarkId, benchmark.LeaderboardPublished, metrics, entries);
    }
}
