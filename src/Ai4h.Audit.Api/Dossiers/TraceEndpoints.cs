using System.Security.Claims;
using Ai4h.Audit.Api.Evaluations;
using Ai4h.Audit.Api.Security;
using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Record;
using Ai4h.Audit.Domain.Submissions;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ai4h.Audit.Api.Dossiers;

/// <summary>
/// One link of an evidence chain: what it is, the event that recorded it, and a SHA-256 re-checked now, while answering:
/// for an artefact, whether the stored bytes still hash to it; for a signature or decision, whether the content it is
/// bound to still hashes to what was signed.
/// </summary>
public sealed record TraceLink(string What, string Detail, Guid? EventId, long? Sequence, string? Sha256, bool? StoredBytesMatch);

public sealed record EvidenceTrace(string Claim, IReadOnlyList<TraceLink> Chain);

/// <summary>Where a number comes from: from a metric of an evaluation back to the model, data, benchmark, software and reference standard.</summary>
public static class TraceEndpoints
{
    [EndpointSummary("The chain of events and artefacts a metric (metric=) or a criterion's verdict (criterion=, 1-based) of an evaluation rests on, each artefact re-hashed against the stored bytes")]
    [WolverineGet("/api/evaluations/{evaluationId}/trace", Name = "TraceEvaluationMetric")]
    [Authorize(Roles = RoleSets.SubmissionReaders)]
    public static async Task<EvidenceTrace> Trace(Guid evaluationId, string? metric, int? criterion, ClaimsPrincipal user, IQuerySession session,
        CancellationToken ct)
    {
        var evaluation = await EvaluationQueries.Get(evaluationId, user, session, ct);
        if (evaluation.Status != EvaluationStatus.Completed || evaluation.Results is null || evaluation.Provenance is null)
            throw DecisionRejected.Conflict($"evaluation {evaluationId} is {evaluation.Status.ToString().ToLowerInvariant()}; only completed ones have numbers to trace");
        if (criterion is not null && !string.IsNullOrWhiteSpace(metric)) throw DecisionRejected.Invalid("criterion", "ask for a metric or a criterion, not both");
        var verdicts = evaluation.Results.Verdicts;
        if (criterion is { } n && (n < 1 || n > verdicts.Count))
            throw DecisionRejected.Invalid("criterion", $"must be between 1 and {verdicts.Count}, the benchmark version's acceptance criteria in order");
        var verdict = criterion is { } k ? verdicts[k - 1] : null;
        var name = verdict?.Definition.Metric ?? (string.IsNullOrWhiteSpace(metric) ? "auroc" : metric.Trim());
        var value = evaluation.Results.Metrics.GetValueOrDefault(name)
            ?? throw DecisionRejected.Invalid("metric", $"the evaluation has no metric '{name}'; it has {string.Join(", ", evaluation.Results.Metrics.Keys.Order())}");
        var p = evaluation.Provenance;

        var chain = new List<TraceLink>();
        var evaluationEvents = await session.Events.FetchStreamAsync(evaluationId, token: ct);
        var completed = evaluationEvents.Last(e => e.Data is EvaluationCompleted);
        if (verdict is not null) chain.Add(Link($"verdict: {(verdict.Passed ? "passed" : "failed")}: {verdict.Criterion}", Judgement(verdict), completed));
        chain.Add(Link($"{name} = {value.Value?.ToString("R") ?? "undefined"}" + (value.CiLower is { } lo ? $" [{lo:R}, {value.CiUpper:R}] ({value.Method})" : $" ({value.Method})"),
            $"computed by {p.RunnerVersion} with ONNX Runtime {p.OnnxRuntimeVersion} on {p.Machine}, seed {p.Seed?.ToString() ?? "none"}", completed));
        chain.Add(await ArtefactAsync(session, "per-case predictions", $"{p.PredictionRows} rows", completed, p.PredictionsSha256, ct));
        chain.Add(Link("evaluation requested", $"submission {evaluation.SubmissionId}, benchmark version {p.BenchmarkVersion}", evaluationEvents.First()));

        var submission = (await session.Events.FetchStreamAsync(evaluation.SubmissionId, token: ct)).First();
        var manifest = ((ModelSubmitted)submission.Data).Manifest;
        chain.Add(await ArtefactAsync(session, "model", $"{manifest.ModelName} {manifest.ModelVersion} by {manifest.DeveloperOrganisation}", submission, p.ModelSha256, ct));

        var benchmark = (await session.Events.FetchStreamAsync(p.BenchmarkId, token: ct))
            .First(e => e.Data is Domain.Benchmarks.BenchmarkDefined d && d.Version == p.BenchmarkVersion
                        || e.Data is Domain.Benchmarks.BenchmarkRevised r && r.Version == p.BenchmarkVersion);
        chain.Add(Link(verdict is null ? "benchmark version" : "benchmark version defining the criterion",
            $"version {p.BenchmarkVersion} of benchmark {p.BenchmarkId}", benchmark));

        var dataset = await session.Events.FetchStreamAsync(p.DatasetId, token: ct);
        var upload = dataset.First(e => e.Data is DatasetVersionUploaded u && u.Version == p.DatasetVersion);
        chain.Add(await ArtefactAsync(session, "test data", $"data set {p.DatasetId} version {p.DatasetVersion}", upload, p.DatasetSha256, ct));

        // A reference standard made by an annotation campaign: the closing event and the label events it cites.
        var campaign = await session.Query<AnnotationCampaign>()
            .FirstOrDefaultAsync(c => c.DatasetId == p.DatasetId && c.ReferenceVersion == p.DatasetVersion, ct);
        if (campaign is not null)
        {
            var closed = (await session.Events.FetchStreamAsync(campaign.Id, token: ct)).Last(e => e.Data is AnnotationCampaignClosed);
            var provenance = ((AnnotationCampaignClosed)closed.Data).Provenance;
            chain.Add(Link("reference standard", $"campaign {campaign.Id}: {provenance.Count} cases from {provenance.Sum(x => x.EventIds.Count)} label and adjudication events", closed));
        }
        return new EvidenceTrace(verdict is null ? $"{name} of evaluation {evaluationId}" : $"criterion {criterion} of evaluation {evaluationId}", chain);
    }

    /// <summary>The numbers a verdict was judged on, as a reader checks them: overall, or per subgroup level with the levels left out.</summary>
    private static string Judgement(CriterionVerdict v)
    {
        var parts = new List<string>();
        if (v.Judged is { } judged) parts.Add($"judged on {judged:R}");
        parts.AddRange(v.Levels.Select(l => $"{l.Level} ({l.Cases} cases): {l.Judged?.ToString("R") ?? "undefined"} {(l.Passed ? "passed" : "failed")}"));
        parts.AddRange(v.Excluded.Select(x => $"{x.Level} ({x.Cases} cases) left out as too small"));
        if (v.Reason is not null) parts.Add(v.Reason);
        return string.Join("; ", parts);
    }

    private static TraceLink Link(string what, string detail, IEvent e) => new(what, detail, e.Id, e.Sequence, null, null);

    internal static async Task<TraceLink> ArtefactAsync(IQuerySession session, string what, string detail, IEvent recordedBy, string sha, CancellationToken ct)
    {
        bool matches;
        try { matches = await BlobStore.ReadAsync(session, sha, ct) is not null; }
        catch (BlobIntegrityException) { matches = false; }
        return new TraceLink(what, detail, recordedBy.Id, recordedBy.Sequence, sha, matches);
    }
}
